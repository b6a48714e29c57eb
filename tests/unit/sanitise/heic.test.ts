import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { blankIccProperties, HeicSanitiser } from '../../../worker/sanitise/heic.sanitiser';
import { isAllowedTag } from '../../../worker/sanitise/verify';
import { heifEncAvailable, makeHeic } from '../../fixtures/make-heic';
import {
  dumpTags,
  sanitiseTestDirs,
  mat2Clean,
  recoverable,
} from '../../fixtures/make-sanitise-context';

// heif-enc (Debian libheif-examples) is the only HEVC encoder here; without it there is no
// honest HEIC fixture, and the fixture test is skipped with this message rather than faked.
const withHeifEnc = heifEncAvailable() ? test : test.skip;
if (!heifEncAvailable()) console.warn('heic tests skipped: install libheif-examples for heif-enc');

const dirs = sanitiseTestDirs();

withHeifEnc('HEIC: EXIF, GPS, XMP and ICC profile gone; HEVC image still decodes', async () => {
  const fixture = (await makeHeic(dirs.fixtures))!;
  const input = readFileSync(fixture.path);
  const result = await new HeicSanitiser().sanitise(input, dirs.ctx);
  if (result.status !== 'clean') throw new Error(`not clean: ${JSON.stringify(result)}`);
  const { keys, text } = await dumpTags(result.data, 'heic', dirs.ctx);
  expect(recoverable(result.data, fixture.planted, text)).toEqual([]);
  expect(result.data.includes(Buffer.from('sP3C', 'utf16le'))).toBe(false); // ICC text is UTF-16
  expect(keys.filter((k) => !isAllowedTag(k))).toEqual(['QuickTime:Unknown_free']); // the blanked box
  expect(keys).toEqual(expect.arrayContaining(['File:ImageWidth', 'File:ImageHeight']));
  expect(text).toContain('["File:ImageWidth",40]');
  expect(result.report.removed).toEqual(
    expect.arrayContaining(['EXIF', 'GPS location', 'XMP', 'ICC profile', 'serial numbers']),
  );
  expect(readdirSync(dirs.ctx.tmpDir)).toEqual([]);

  const out = join(dirs.fixtures, 'clean.heic');
  writeFileSync(out, result.data);
  const decoded = spawnSync('heif-convert', [out, join(dirs.fixtures, 'decoded.png')]);
  expect(decoded.status).toBe(0); // libheif still decodes the HEVC data

  const mat2 = mat2Clean(fixture.path, dirs.fixtures, 'heic');
  if (mat2 !== undefined) {
    const mat2Left = new Set(recoverable(mat2, fixture.planted));
    expect(recoverable(result.data, fixture.planted).filter((p) => !mat2Left.has(p))).toEqual([]);
  }
});

test('blankIccProperties zero-fills only ICC colr boxes, keeping every offset', () => {
  const box = (type: string, body: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(8 + body.length);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, body]);
  };
  const icc = box('colr', Buffer.from('profSECRET-PROFILE'));
  const nclx = box('colr', Buffer.from('nclx\0\x01\0\x0d\0\x06\x80'));
  const meta = box(
    'meta',
    Buffer.concat([Buffer.alloc(4), box('iprp', box('ipco', Buffer.concat([icc, nclx])))]),
  );
  const file = Buffer.concat([box('ftyp', Buffer.from('heic\0\0\0\0')), meta]);
  const out = blankIccProperties(file);
  expect(out.length).toBe(file.length);
  expect(out.includes('SECRET')).toBe(false);
  expect(out.includes('free')).toBe(true);
  expect(out.includes('nclx')).toBe(true);
});

test('not a HEIF file: held back', async () => {
  const result = await new HeicSanitiser().sanitise(Buffer.from('GIF89a....'), dirs.ctx);
  expect(result).toMatchObject({ status: 'unsanitised' });
});
