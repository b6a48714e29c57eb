import { execFile } from 'node:child_process';
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { zipSync, strToU8 } from 'fflate';
import sharp, { type Sharp } from 'sharp';
import { sanitiseFile } from '../sanitise';
import { writeTags } from '../sanitise/exiftool';
import { OOXML } from '../../core/media-types';
import type { SanitiseContext } from '../sanitise/types';

// Run once in each new jail while it waits in the pool: every sanitiser cleans a tiny file of
// its own making, so a submission's first file does not pay for cold code.

const run = promisify(execFile);

const WORD = `${OOXML}.wordprocessingml.document.main+xml`;
const NS = 'http://schemas.openxmlformats.org';

function docx(): Buffer {
  return Buffer.from(
    zipSync({
      '[Content_Types].xml': strToU8(
        `<?xml version="1.0"?><Types xmlns="${NS}/package/2006/content-types">` +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
          `<Override PartName="/word/document.xml" ContentType="${WORD}"/></Types>`,
      ),
      '_rels/.rels': strToU8(
        `<?xml version="1.0"?><Relationships xmlns="${NS}/package/2006/relationships">` +
          `<Relationship Id="r1" Type="${NS}/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
          '</Relationships>',
      ),
      'word/document.xml': strToU8(
        `<?xml version="1.0"?><w:document xmlns:w="${NS}/wordprocessingml/2006/main">` +
          '<w:body><w:p><w:r><w:t>warm</w:t></w:r></w:p></w:body></w:document>',
      ),
    }),
  );
}

function pdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>',
  ];
  let body = '%PDF-1.7\n';
  const offsets = objects.map((o, i) => {
    const at = body.length;
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
    return at;
  });
  const xref = body.length;
  body += `xref\n0 4\n0000000000 65535 f \n`;
  for (const o of offsets) body += `${String(o).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A JPEG carrying what phones and editors write (XMP, IPTC, GPS), so exiftool loads those. */
async function taggedJpeg(ctx: SanitiseContext, image: Sharp): Promise<Buffer> {
  const path = join(ctx.tmpDir, 'warm.jpg');
  try {
    await image.clone().jpeg().toFile(path);
    await writeTags(path, [
      ...['-XMP-dc:Creator=warm', '-IPTC:By-line=warm', '-GPSLatitude=1', '-GPSLongitude=1'],
      ...['-Photoshop:XResolution=72', '-overwrite_original'],
    ]);
    return await readFile(path);
  } finally {
    await unlink(path).catch(() => undefined);
  }
}

async function tone(ctx: SanitiseContext, ext: 'mp3' | 'm4a'): Promise<Buffer> {
  const path = join(ctx.tmpDir, `warm.${ext}`);
  try {
    await run('ffmpeg', [
      ...['-v', 'error', '-nostdin', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=0.3'],
      ...['-y', path],
    ]);
    return await readFile(path);
  } finally {
    await unlink(path).catch(() => undefined);
  }
}

export async function warmUp(ctx: SanitiseContext): Promise<void> {
  // With a colour profile and EXIF, as phone photos come: the conversion and exiftool's EXIF
  // and ICC modules are warmed too.
  const image = sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } })
    .withIccProfile('p3')
    .withExif({ IFD0: { Artist: 'warm' } });
  const files: Array<[string, () => Promise<Buffer>]> = [
    ['warm.txt', () => Promise.resolve(Buffer.from('warm\n'))],
    ['warm.jpg', () => taggedJpeg(ctx, image)],
    ['warm.png', () => image.clone().png().toBuffer()],
    ['warm.pdf', () => Promise.resolve(pdf())],
    ['warm.docx', () => Promise.resolve(docx())],
    ['warm.mp3', () => tone(ctx, 'mp3')],
    ['warm.m4a', () => tone(ctx, 'm4a')],
  ];
  for (const [name, make] of files) {
    try {
      await sanitiseFile(await make(), { name, type: '' }, ctx);
    } catch {
      // A warm-up that fails only leaves that path cold.
    }
  }
}
