import { zipSync, unzipSync } from 'fflate';
import { crc32 } from 'node:zlib';
import { sanitiseFile } from '../../../worker/sanitise';
import { MAX_ARCHIVE_ENTRIES, MAX_MEDIA_TRACKS } from '../../../worker/sanitise/limits';
import { ffmpegTo } from '../../fixtures/make-media';
import { buildDocx } from '../../fixtures/make-office';
import { sanitiseTestDirs } from '../../fixtures/make-sanitise-context';

// Bombs: small files that declare enormous work. Each is refused from its headers, before the
// work, with a code of its own (limits.ts).

jest.setTimeout(60_000);
const dirs = sanitiseTestDirs();
const declared = (name: string) => ({ name, type: '' });

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

test('an image declaring a billion pixels: IMAGE_TOO_MANY_PIXELS, nothing decoded', async () => {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(40_000, 0); // 40,000 × 30,000 = 1.2 gigapixels, in a file of ~60 bytes
  ihdr.writeUInt32BE(30_000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const png = Buffer.concat([
    Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  const result = await sanitiseFile(png, declared('x.png'), dirs.ctx);
  expect(result).toMatchObject({ status: 'unsanitised', reason: 'IMAGE_TOO_MANY_PIXELS' });
});

/** A PDF by hand: `pages` empty pages of `side` points square. */
function pdf(pages: number, side: number): Buffer {
  const kids = Array.from({ length: pages }, (_, i) => `${i + 3} 0 R`).join(' ');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`,
    ...Array.from(
      { length: pages },
      () => `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${side} ${side}] >>`,
    ),
  ];
  let body = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) body += `${String(o).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

test('a PDF of 6,000 pages: PDF_TOO_MANY_PAGES; a page 1 km wide: PDF_PAGE_TOO_LARGE', async () => {
  const many = await sanitiseFile(pdf(6_000, 612), declared('x.pdf'), dirs.ctx);
  expect(many).toMatchObject({ status: 'unsanitised', reason: 'PDF_TOO_MANY_PAGES' });
  const huge = await sanitiseFile(pdf(1, 2_834_646), declared('x.pdf'), dirs.ctx);
  expect(huge).toMatchObject({ status: 'unsanitised', reason: 'PDF_PAGE_TOO_LARGE' });
  // The same document at a normal size is cleaned: the limits are what refused them.
  const normal = await sanitiseFile(pdf(2, 612), declared('x.pdf'), dirs.ctx);
  expect(normal.status).toBe('clean');
});

test('an office zip of too many entries, or expanding 1000-fold: their own codes', async () => {
  const parts = unzipSync(await buildDocx());
  const crowded = { ...parts };
  for (let i = 0; i <= MAX_ARCHIVE_ENTRIES; i += 1)
    crowded[`customXml/x${i}.bin`] = new Uint8Array(1);
  const many = await sanitiseFile(Buffer.from(zipSync(crowded)), declared('x.docx'), dirs.ctx);
  expect(many).toMatchObject({ status: 'unsanitised', reason: 'ARCHIVE_TOO_MANY_ENTRIES' });

  const inflated = { ...parts, 'word/media/blank.bin': new Uint8Array(40 * 1024 * 1024) };
  const bomb = Buffer.from(zipSync(inflated, { level: 9 }));
  expect(bomb.length).toBeLessThan(200_000);
  const ratio = await sanitiseFile(bomb, declared('x.docx'), dirs.ctx);
  expect(ratio).toMatchObject({ status: 'unsanitised', reason: 'ARCHIVE_EXPANSION_RATIO' });
});

test('audio with more tracks than any recording has: MEDIA_TOO_MANY_TRACKS', async () => {
  const tracks = MAX_MEDIA_TRACKS + 1;
  const maps = Array.from({ length: tracks }, () => ['-map', '0:a']).flat();
  const m4a = ffmpegTo(dirs.fixtures, 'tracks.m4a', [
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=0.2', ...maps, '-c:a', 'aac'],
  ]);
  const result = await sanitiseFile(m4a, declared('x.m4a'), dirs.ctx);
  expect(result).toMatchObject({ status: 'unsanitised', reason: 'MEDIA_TOO_MANY_TRACKS' });
});

test('25 hours of audio: MEDIA_TOO_LONG', async () => {
  // 100 one-byte samples a second keep 25 hours to 9 MB.
  const wav = ffmpegTo(dirs.fixtures, 'long.wav', [
    ...['-f', 'lavfi', '-i', 'anullsrc=r=100:cl=mono', '-t', String(25 * 3600)],
    ...['-c:a', 'pcm_u8'],
  ]);
  const result = await sanitiseFile(wav, declared('x.wav'), dirs.ctx);
  expect(result).toMatchObject({ status: 'unsanitised', reason: 'MEDIA_TOO_LONG' });
});
