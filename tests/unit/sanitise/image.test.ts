import { readdirSync, readFileSync } from 'node:fs';
import sharp from 'sharp';
import { ImageSanitiser } from '../../../worker/sanitise/image.sanitiser';
import type { SanitiseResult } from '../../../worker/sanitise/types';
import { isAllowedTag } from '../../../worker/sanitise/verify';
import { makeJpeg, makeOther, makePng, type Fixture } from '../../fixtures/make-image';
import {
  dumpTags,
  sanitiseTestDirs,
  mat2Clean,
  recoverable,
} from '../../fixtures/make-sanitise-context';

const sanitiser = new ImageSanitiser();
const dirs = sanitiseTestDirs();

async function cleanAndCheck(
  fixture: Fixture,
  ext: string,
): Promise<Extract<SanitiseResult, { status: 'clean' }>> {
  const result = await sanitiser.sanitise(readFileSync(fixture.path), dirs.ctx);
  if (result.status !== 'clean')
    throw new Error(`not clean: ${result.reason} ${JSON.stringify(result.report)}`);
  const { keys, text } = await dumpTags(result.data, ext, dirs.ctx);
  expect(recoverable(result.data, fixture.planted, text)).toEqual([]);
  expect(keys.filter((k) => !isAllowedTag(k))).toEqual([]);
  // At least as clean as mat2: nothing mat2 removed survives here.
  const mat2 = mat2Clean(fixture.path, dirs.fixtures, ext);
  if (mat2 !== undefined) {
    const mat2Keys = new Set((await dumpTags(mat2, ext, dirs.ctx)).keys);
    expect(keys.filter((k) => !mat2Keys.has(k) && !isAllowedTag(k))).toEqual([]);
    const mat2Left = new Set(recoverable(mat2, fixture.planted));
    expect(recoverable(result.data, fixture.planted).filter((p) => !mat2Left.has(p))).toEqual([]);
  }
  expect(readdirSync(dirs.ctx.tmpDir)).toEqual([]); // nothing left on tmpfs
  return result;
}

test('JPEG: GPS, serials, maker notes, XMP, IPTC, comment and thumbnail gone; orientation applied', async () => {
  const fixture = await makeJpeg(dirs.fixtures);
  const result = await cleanAndCheck(fixture, 'jpg');
  expect(result.mime).toBe('image/jpeg');
  const { data, info } = await sharp(result.data).raw().toBuffer({ resolveWithObject: true });
  expect([info.width, info.height]).toEqual([32, 64]); // 64×32 stored, Orientation 6
  const pixel = (x: number, y: number): number[] => [
    ...data.subarray((y * 32 + x) * 3, (y * 32 + x) * 3 + 3),
  ];
  expect(pixel(16, 8)[0]).toBeGreaterThan(200); // the red half is now on top
  expect(pixel(16, 56)[2]).toBeGreaterThan(200); // the blue half at the bottom
  expect(result.report.removed).toEqual(
    expect.arrayContaining(['GPS location', 'maker notes', 'serial numbers', 'embedded thumbnail']),
  );
  expect(result.report.removed).toEqual(expect.arrayContaining(['EXIF', 'XMP', 'IPTC', 'comment']));
  expect(result.report.kept).toContain('orientation applied to the pixels');
});

test('PNG: text chunks, eXIf and XMP GPS gone; Display P3 converted to sRGB, profile dropped', async () => {
  const fixture = await makePng(dirs.fixtures);
  const result = await cleanAndCheck(fixture, 'png');
  const meta = await sharp(result.data).metadata();
  expect([meta.width, meta.height, meta.icc]).toEqual([40, 20, undefined]);
  const { data } = await sharp(result.data).raw().toBuffer({ resolveWithObject: true });
  expect([...data.subarray(0, 3)]).not.toEqual([200, 100, 50]); // P3 values were converted
  expect(result.report.removed).toEqual(
    expect.arrayContaining(['PNG text chunks', 'GPS location', 'XMP', 'EXIF', 'ICC profile']),
  );
  expect(result.report.kept).toContain('colours converted to sRGB; ICC profile dropped');
});

test.each(['webp', 'tiff', 'avif', 'gif'] as const)(
  '%s: EXIF/XMP/comments gone, pixels kept',
  async (format) => {
    const fixture = await makeOther(dirs.fixtures, format);
    const result = await cleanAndCheck(fixture, format === 'tiff' ? 'tif' : format);
    const meta = await sharp(result.data).metadata();
    expect([meta.width, meta.height]).toEqual([24, 12]);
    expect(result.report.removed.length).toBeGreaterThan(0);
  },
);

test('animated GIF keeps every frame', async () => {
  const frames = Buffer.alloc(8 * 24 * 3); // white, grey, black: identical frames would merge
  frames.fill(255, 0, 8 * 8 * 3);
  frames.fill(128, 8 * 8 * 3, 16 * 8 * 3);
  const gif = await sharp(frames, {
    raw: { width: 8, height: 24, channels: 3, pageHeight: 8 },
  } as never)
    .gif({ delay: [100, 100, 100] })
    .toBuffer();
  const result = await sanitiser.sanitise(gif, dirs.ctx);
  expect(result.status).toBe('clean');
  if (result.status === 'clean') expect((await sharp(result.data).metadata()).pages).toBe(3);
});

test('what it cannot read is held back, not passed on', async () => {
  const result = await sanitiser.sanitise(Buffer.from('not an image at all'), dirs.ctx);
  expect(result).toMatchObject({ status: 'unsanitised', reason: 'UNSUPPORTED_FORMAT' });
});
