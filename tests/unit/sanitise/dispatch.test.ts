import { existsSync, statfsSync, statSync } from 'node:fs';
import { detectFormat, sanitiseFile, withSanitiseTmpDir } from '../../../worker/sanitise';
import { buildDocx, buildOdt, jpegWithExif } from '../../fixtures/make-office';
import { sanitiseTestDirs } from '../../fixtures/make-sanitise-context';

const dirs = sanitiseTestDirs();

const ftyp = (brand: string, ...compat: string[]): Buffer => {
  const brands = Buffer.from([brand, '\0\0\0\0', ...compat].join(''), 'latin1');
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + brands.length);
  head.write('ftyp', 4, 'latin1');
  return Buffer.concat([head, brands, Buffer.alloc(16)]);
};

test('formats are read from the bytes', async () => {
  expect(detectFormat(await jpegWithExif())).toBe('jpeg');
  expect(detectFormat(await buildDocx())).toBe('docx');
  expect(detectFormat(await buildOdt())).toBe('odt');
  expect(detectFormat(Buffer.from('\x89PNG\r\n\x1a\n....', 'latin1'))).toBe('png');
  expect(detectFormat(Buffer.from('%PDF-1.7\n'))).toBe('pdf');
  expect(detectFormat(Buffer.from('RIFF\0\0\0\0WAVEfmt ', 'latin1'))).toBe('wav');
  expect(detectFormat(Buffer.from('OggS\0\x02', 'latin1'))).toBe('ogg');
  expect(detectFormat(Buffer.from([0xff, 0xfb, 0x90, 0x64, 0, 0]))).toBe('mp3');
  expect(detectFormat(ftyp('heic', 'mif1', 'heic'))).toBe('heic');
  expect(detectFormat(ftyp('mif1', 'avif', 'mif1'))).toBe('avif');
  expect(detectFormat(ftyp('M4A ', 'isom'))).toBe('m4a');
  expect(detectFormat(ftyp('qt  '))).toBe('mov');
  expect(detectFormat(ftyp('3gp5', 'isom'))).toBe('3gp');
  expect(detectFormat(ftyp('isom', 'mp41'))).toBe('mp4');
  expect(detectFormat(Buffer.from('우리는 3월에\n'))).toBe('text');
  expect(detectFormat(Buffer.from([0x00, 0x01, 0x02, 0xfe]))).toBeNull();
  expect(detectFormat(Buffer.from('PK\x03\x04 not really a zip', 'latin1'))).toBeNull();
});

test('unknown binary is unsanitised, never passed through', async () => {
  const result = await sanitiseFile(
    Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]),
    { name: 'a.bin', type: '' },
    dirs.ctx,
  );
  expect(result).toMatchObject({ status: 'unsanitised', reason: 'UNSUPPORTED_FORMAT' });
});

test('a JPEG declared as text/plain is routed as a JPEG', async () => {
  const result = await sanitiseFile(
    await jpegWithExif(),
    { name: 'note.txt', type: 'text/plain' },
    dirs.ctx,
  );
  expect(result).toMatchObject({ status: 'clean', mime: 'image/jpeg' });
  expect(result.report.notes).toContain('declared type differs from content');
});

test('truncated or corrupt files come back unsanitised with a reason, never a throw', async () => {
  const docx = await buildDocx();
  const jpeg = await jpegWithExif();
  for (const bad of [
    docx.subarray(0, docx.length / 2),
    jpeg.subarray(0, 40),
    Buffer.from('%PDF-1.7 junk'),
  ]) {
    const result = await sanitiseFile(bad, { name: 'x', type: '' }, dirs.ctx);
    expect(result.status).toBe('unsanitised');
    expect(result.status === 'unsanitised' && result.reason).toMatch(/^[A-Z_]+$/);
  }
});

test('withSanitiseTmpDir: a private dir on tmpfs, removed afterwards; refuses without tmpfs', async () => {
  let seen = '';
  await withSanitiseTmpDir(async (ctx) => {
    seen = ctx.tmpDir;
    expect(seen.startsWith('/dev/shm/')).toBe(true);
    expect(statSync(seen).mode & 0o777).toBe(0o700);
  });
  expect(existsSync(seen)).toBe(false);
  await expect(withSanitiseTmpDir(async () => 1, '/dev/shm/no-such-dir')).rejects.toMatchObject({
    code: 'NO_TMPFS',
  });
  // /tmp is a real disk here (or at least not guaranteed tmpfs): refused, not used.
  if (!isTmpfs('/tmp')) {
    await expect(withSanitiseTmpDir(async () => 1, '/tmp')).rejects.toMatchObject({
      code: 'NO_TMPFS',
    });
  }
});

function isTmpfs(path: string): boolean {
  return statfsSync(path).type === 0x01021994;
}

test('a zip bomb is held back, not expanded: tiny file, huge XML part', async () => {
  const { unzipSync, zipSync } = await import('fflate');
  const parts = unzipSync(await buildDocx());
  // 21 MB of empty paragraphs compresses to ~30 KB; as a DOM it would exhaust the heap.
  parts['word/document.xml'] = Buffer.from(
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
      '<w:p/>'.repeat(3_500_000) +
      '</w:body></w:document>',
  );
  const bomb = Buffer.from(zipSync(parts, { level: 9 }));
  expect(bomb.length).toBeLessThan(100_000);
  const result = await sanitiseFile(bomb, { name: 'x.docx', type: '' }, dirs.ctx);
  expect(result.status).toBe('unsanitised');
});

test('a text file too large to sanitise in memory is held back', async () => {
  const big = Buffer.alloc(33 * 1024 * 1024, 'a');
  expect(detectFormat(big)).toBeNull();
  const result = await sanitiseFile(big, { name: 'x.txt', type: 'text/plain' }, dirs.ctx);
  expect(result.status).toBe('unsanitised');
});
