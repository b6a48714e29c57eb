// BMP, made by ffmpeg, with data planted after the raster (a file path, as a linked profile
// would name): out as a PNG with the same pixels and nothing else.
import sharp from 'sharp';
import { detectFormat, sanitiseFile } from '../../../worker/sanitise';
import { ffmpegTo } from '../../fixtures/make-media';
import { recoverable, sanitiseTestDirs } from '../../fixtures/make-sanitise-context';

const dirs = sanitiseTestDirs();

test.each(['bgr24', 'pal8'])('BMP (%s) becomes a clean PNG with the same pixels', async (pix) => {
  const bmp = ffmpegTo(dirs.fixtures, `planted-${pix}.bmp`, [
    ...['-f', 'lavfi', '-i', 'testsrc=size=37x21', '-frames:v', '1', '-pix_fmt', pix],
  ]);
  const input = Buffer.concat([bmp, Buffer.from('PLANT-BMP-TRAILER C:\\Users\\kim\\scan.icc')]);
  expect(detectFormat(input)).toBe('bmp');
  const result = await sanitiseFile(input, { name: 'a.bmp', type: '' }, dirs.ctx);
  if (result.status !== 'clean') throw new Error(JSON.stringify(result));
  expect(result).toMatchObject({ mime: 'image/png', extension: 'png' });
  expect(recoverable(result.data, ['PLANT-BMP-TRAILER', 'scan.icc'])).toEqual([]);
  expect(result.report.removed).toContain('data after the image');
  // Same pixels as ffmpeg decodes from the BMP.
  const expected = ffmpegTo(dirs.fixtures, `decoded-${pix}.rgb`, [
    ...['-i', `${dirs.fixtures}/planted-${pix}.bmp`, '-f', 'rawvideo', '-pix_fmt', 'rgb24'],
  ]);
  const { data, info } = await sharp(result.data).raw().toBuffer({ resolveWithObject: true });
  expect([info.width, info.height]).toEqual([37, 21]);
  expect(data.equals(expected)).toBe(true);
});

test('an RLE-compressed BMP is held back, not guessed at', async () => {
  const bmp = ffmpegTo(dirs.fixtures, 'rle.bmp', [
    ...['-f', 'lavfi', '-i', 'testsrc=size=8x8', '-frames:v', '1', '-pix_fmt', 'bgr24'],
  ]);
  bmp.writeUInt32LE(1, 30); // BI_RLE8
  const result = await sanitiseFile(bmp, { name: 'a.bmp', type: '' }, dirs.ctx);
  expect(result).toMatchObject({ status: 'unsanitised', reason: 'UNSUPPORTED_FORMAT' });
});
