// A JPEG cut short in transfer ("premature end of data segment") still holds most of a photo.
// It is decoded as far as it goes and cleaned, and the report says it was truncated.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { sanitiseFile } from '../../../worker/sanitise';
import { makeJpeg } from '../../fixtures/make-image';
import { dumpTags, recoverable, sanitiseTestDirs } from '../../fixtures/make-sanitise-context';

const dirs = sanitiseTestDirs();

test('a truncated JPEG is cleaned, with a note in the report', async () => {
  const fixture = await makeJpeg(dirs.fixtures);
  const whole = readFileSync(fixture.path);
  const sos = whole.lastIndexOf(Buffer.from([0xff, 0xda])); // the main image, not the EXIF thumbnail
  expect(sos).toBeGreaterThan(0);
  // Cut inside the entropy-coded data: every metadata segment is still there.
  const cut = whole.subarray(0, sos + Math.floor((whole.length - sos) / 2));
  const result = await sanitiseFile(cut, { name: 'a.jpg', type: 'image/jpeg' }, dirs.ctx);
  if (result.status !== 'clean') throw new Error(JSON.stringify(result));
  expect(result.report.notes).toEqual(
    expect.arrayContaining([expect.stringContaining('truncated')]),
  );
  const { text } = await dumpTags(result.data, 'jpg', dirs.ctx);
  expect(recoverable(result.data, fixture.planted, text)).toEqual([]);
  expect(result.report.removed).toEqual(expect.arrayContaining(['EXIF']));
  const original = await sharp(whole).metadata();
  const cleaned = await sharp(result.data).metadata();
  expect([cleaned.width, cleaned.height]).toEqual([
    original.autoOrient.width,
    original.autoOrient.height,
  ]);
});

test('a complete JPEG carries no truncation note', async () => {
  const fixture = await makeJpeg(dirs.fixtures);
  const result = await sanitiseFile(
    readFileSync(fixture.path),
    { name: 'a.jpg', type: '' },
    dirs.ctx,
  );
  expect(result.status).toBe('clean');
  expect(JSON.stringify(result.report.notes ?? [])).not.toContain('truncated');
});
