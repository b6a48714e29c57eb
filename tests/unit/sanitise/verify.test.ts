import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describeMetadata, isAllowedTag, verifyClean } from '../../../worker/sanitise/verify';
import { makeJpeg } from '../../fixtures/make-image';
import { sanitiseTestDirs } from '../../fixtures/make-sanitise-context';

const dirs = sanitiseTestDirs();

test('a freshly encoded image passes', async () => {
  const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: 'red' } })
    .png()
    .toBuffer();
  await expect(verifyClean(png, 'png', dirs.ctx)).resolves.toEqual({ ok: true });
});

test('a file with metadata fails, naming tags but never their values', async () => {
  const fixture = await makeJpeg(dirs.fixtures);
  const verdict = await verifyClean(readFileSync(fixture.path), 'jpg', dirs.ctx);
  expect(verdict.ok).toBe(false);
  if (verdict.ok) return;
  expect(verdict.leftover).toEqual(
    expect.arrayContaining(['EXIF:GPS:GPSLatitude', 'MakerNotes:Canon:OwnerName', 'File:Comment']),
  );
  expect(JSON.stringify(verdict)).not.toMatch(/PLANT-/);
});

test('extraAllowed lets another sanitiser accept its own structural tags', () => {
  expect(isAllowedTag('XMP:XMP-dc:Creator')).toBe(false);
  expect(isAllowedTag('Vorbis:Vendor')).toBe(false);
  expect(isAllowedTag('Vorbis:Vendor', [/^Vorbis:Vendor$/])).toBe(true);
});

test('something exiftool cannot parse is not declared clean', async () => {
  const verdict = await verifyClean(Buffer.from('no known format'), 'bin', dirs.ctx);
  expect(verdict.ok).toBe(false);
});

test('describeMetadata names kinds of metadata, never values', () => {
  const names = describeMetadata({
    'EXIF:GPS:GPSLatitude': 41.7,
    'EXIF:ExifIFD:SerialNumber': 'PLANT',
    'EXIF:IFD1:ThumbnailImage': '(Binary data)',
    'MakerNotes:Canon:OwnerName': 'PLANT',
    'PNG:Author': 'PLANT',
    'File:Comment': 'PLANT',
    'File:ImageWidth': 10,
  });
  expect(names).toEqual([
    'EXIF',
    'GPS location',
    'PNG text chunks',
    'comment',
    'embedded thumbnail',
    'maker notes',
    'serial numbers',
  ]);
});
