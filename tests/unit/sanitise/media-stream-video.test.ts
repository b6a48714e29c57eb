import { initCrypto } from '../../../crypto';
import { readBoxes } from '../../../worker/sanitise/media/isobmff/boxes';
import { isX264Settings } from '../../../worker/sanitise/media/isobmff/x264';
import { remuxIsoBmff } from '../../../worker/sanitise/media/isobmff/remux';
import { IsoBmffOutputCheck } from '../../../worker/sanitise/media/isobmff/verify';
import { videoSamples } from '../../../worker/sanitise/media/isobmff/video';
import { STRUCTURAL } from '../../../worker/sanitise/media/structural-tags';
import { verifyClean } from '../../../worker/sanitise/verify';
import { ffmpegTo, MEDIA_PLANTED } from '../../fixtures/make-media';
import { sanitiseTestDirs } from '../../fixtures/make-sanitise-context';
import { sanitiseFile } from '../../../worker/sanitise';
import { plantSei, plantUnit } from './plant-box';
import { stream } from './stream-media';

// The streamed path cannot hand a whole video to exiftool -ee3, which in the in-memory path
// reads every H.264 sample for camera data in SEI user data (Sony/Panasonic/Canon MDPM: dates,
// GPS) and every MJPEG frame for EXIF. So it reads every video sample itself: user data deep in
// the media data, far past what exiftool is shown, holds the file back; so does video it
// cannot read that way. ffmpeg-made video (x264's settings in its own SEI) still comes out.

const dirs = sanitiseTestDirs();
let big: Buffer;
beforeAll(async () => {
  await initCrypto();
  // H.264 (lossless, so large: about 2 MB) and AAC, moov at the end.
  big = ffmpegTo(dirs.fixtures, 'big.mp4', [
    ...['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=4'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=4'],
    ...[
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-qp',
      '0',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
    ],
  ]);
});

const MIB = 1024 * 1024;
const CAMERA_UUID = Buffer.from('17ee8c60f84d11d98cd60800200c9a66', 'hex'); // MDPM's

/** The input's video samples (offsets into the input) and where its media data starts. */
function inputSamples(file: Buffer) {
  const tops = readBoxes(file, 0, file.length);
  const moov = tops.find((t) => t.type === 'moov')!;
  const mdat = tops.find((t) => t.type === 'mdat')!;
  return { samples: videoSamples(file.subarray(moov.start, moov.end)), mdat };
}

/** The first video sample starting `past` bytes into the media data. */
function sampleAfter(file: Buffer, past: number): { index: number; start: number; size: number } {
  const { samples, mdat } = inputSamples(file);
  const index = samples.starts.findIndex((s) => s >= mdat.body + past);
  if (index < 0) throw new Error('no sample that far');
  return { index, start: samples.starts[index]!, size: samples.sizes[index]! };
}

test('the fixture is what the test needs: video past the first MiB, x264 SEI in front', () => {
  const { mdat } = inputSamples(big);
  expect(mdat.end - mdat.body).toBeGreaterThan(1.5 * MIB);
  expect(big.includes('x264 - core')).toBe(true);
});

test('a large ffmpeg-made H.264 video comes out clean, the same as in memory', async () => {
  const native = remuxIsoBmff(big);
  if (!native.ok) throw new Error(native.why);
  const inMemory = await sanitiseFile(big, { name: 'a.mp4', type: '' }, dirs.ctx);
  if (inMemory.status !== 'clean') throw new Error(JSON.stringify(inMemory.report));
  expect(inMemory.data.equals(native.data)).toBe(true);
  for (const step of [4093, 65536]) {
    const { result, data } = await stream(big, step, dirs.ctx);
    if (result.status !== 'clean') throw new Error(JSON.stringify(result.report));
    expect(data.equals(native.data)).toBe(true);
  }
});

/** Both paths on `input`: each must hold it back, for `finding`. */
async function bothHoldBack(input: Buffer, finding: string): Promise<void> {
  const inMemory = await sanitiseFile(input, { name: 'a.mp4', type: '' }, dirs.ctx);
  expect(inMemory).toMatchObject({ status: 'unsanitised', reason: 'VERIFY_FAILED' });
  // The native output is read first; ffmpeg's copy of the same packets then too.
  expect(inMemory.report.notes).toEqual([
    `native remux left ${finding}; remuxed with ffmpeg instead`,
    `left after cleaning: ${finding}`,
  ]);
  const { result, ended, aborted } = await stream(input, 65536, dirs.ctx);
  expect(result).toMatchObject({ status: 'unsanitised', reason: 'VERIFY_FAILED' });
  expect(result.report.notes).toEqual([`left after cleaning: ${finding}`]);
  expect({ ended, aborted }).toEqual({ ended: false, aborted: true });
}

test('both paths hold back what the NAL allowlist refuses, deep in the media data', async () => {
  const target = sampleAfter(big, 1.3 * MIB);
  const at = `video sample ${target.index + 1}`;
  const text = Buffer.from(`${MEDIA_PLANTED.location} ${MEDIA_PLANTED.created}`, 'latin1');
  // A NAL unit of an unspecified type (25), where a vendor could put its own data.
  const unspecified = Buffer.concat([Buffer.from([0x19]), text]);
  await bothHoldBack(
    plantUnit(big, target.start, target.size, unspecified),
    `${at}: video NAL unit of a type not allowed (25)`,
  );
  // Registered user data (ITU-T T.35), then picture timing where the SPS has none.
  const t35 = Buffer.concat([Buffer.from([0xb5, 0x00, 0x31]), text]);
  const sei = (type: number, payload: Buffer) =>
    Buffer.concat([Buffer.from([0x06, type, payload.length]), payload, Buffer.from([0x80])]);
  await bothHoldBack(
    plantUnit(big, target.start, target.size, sei(4, t35)),
    `${at}: SEI user data`,
  );
  await bothHoldBack(
    plantUnit(big, target.start, target.size, sei(1, Buffer.from([0x10, 0x80]))),
    `${at}: SEI timing that can hold a clock time`,
  );
});

test('interlaced H.264 (picture timing in every frame) passes both paths; a clock does not', async () => {
  const tff = ffmpegTo(dirs.fixtures, 'tff.mp4', [
    ...['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10:duration=1', '-c:v', 'libx264'],
    ...['-flags', '+ildct+ilme', '-x264-params', 'tff=1'],
  ]);
  const timing = Buffer.from([0x06, 0x01, 0x01, 0x32, 0x80]); // pic_struct 3, no clock
  expect(tff.includes(timing)).toBe(true);
  const inMemory = await sanitiseFile(tff, { name: 'a.mp4', type: '' }, dirs.ctx);
  if (inMemory.status !== 'clean') throw new Error(JSON.stringify(inMemory.report));
  const { result, data } = await stream(tff, 4093, dirs.ctx);
  if (result.status !== 'clean') throw new Error(JSON.stringify(result.report));
  expect(data.equals(inMemory.data)).toBe(true);
  // The same message with its first clock timestamp set (hours, minutes, seconds follow).
  const { samples } = inputSamples(tff);
  const clock = Buffer.from([0x06, 0x01, 0x05, 0x3c, 0x12, 0x34, 0x56, 0x78, 0x80]);
  await bothHoldBack(
    plantUnit(tff, samples.starts[3]!, samples.sizes[3]!, clock),
    'video sample 4: SEI timing that can hold a clock time',
  );
});

test("x265's settings SEI in the hvcC holds an HEVC file back on both paths", async () => {
  const hevc = ffmpegTo(dirs.fixtures, 'x265.mp4', [
    ...['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10:duration=1'],
    ...['-c:v', 'libx265', '-x265-params', 'log-level=none', '-tag:v', 'hvc1'],
  ]);
  expect(hevc.includes('x265 (build', 0, 'latin1')).toBe(true);
  await bothHoldBack(hevc, 'codec configuration: SEI user data');
});

test('camera user data in an SEI unit after the first MiB holds the file back', async () => {
  const target = sampleAfter(big, 1.2 * MIB);
  const planted = plantSei(
    big,
    target.start,
    target.size,
    CAMERA_UUID,
    `MDPM GPS ${MEDIA_PLANTED.location} ${MEDIA_PLANTED.created}`,
  );
  // The remux copies it as it is; in memory, the output's inspection holds it back...
  const native = remuxIsoBmff(planted);
  expect(native.ok && native.data.includes(MEDIA_PLANTED.location)).toBe(true);
  const inMemory = await sanitiseFile(planted, { name: 'a.mp4', type: '' }, dirs.ctx);
  expect(inMemory).toMatchObject({ status: 'unsanitised', reason: 'VERIFY_FAILED' });
  // ...and the stream's exiftool skeleton does not reach it: only the inspection can find it.
  for (const step of [7919, 65536]) {
    const { result, ended, aborted } = await stream(planted, step, dirs.ctx);
    expect(result).toMatchObject({ status: 'unsanitised', reason: 'VERIFY_FAILED' });
    expect(result.report.notes).toEqual([
      `left after cleaning: video sample ${target.index + 1}: SEI user data`,
    ]);
    expect({ ended, aborted }).toEqual({ ended: false, aborted: true });
  }
});

test("a UUID claiming to be x264's must hold x264's settings and nothing else", async () => {
  const x264 = Buffer.from('dc45e9bde6d948b7962cd820d923eeef', 'hex');
  const target = sampleAfter(big, 1.5 * MIB);
  const planted = plantSei(big, target.start, target.size, x264, 'x264 GPS +37.5665+126.9780');
  const { result } = await stream(planted, 65536, dirs.ctx);
  expect(result).toMatchObject({ status: 'unsanitised', reason: 'VERIFY_FAILED' });

  // The real string from the fixture passes; the same with anything added does not.
  const at = big.indexOf('x264 - core');
  const text = big.toString('latin1', at, big.indexOf(0, at));
  const payload = (t: string) => Buffer.concat([x264, Buffer.from(t, 'latin1'), Buffer.from([0])]);
  expect(isX264Settings(payload(text))).toBe(true);
  expect(isX264Settings(payload(`${text} gps=37.5665,126.9780`))).toBe(false); // not x264's
  expect(isX264Settings(payload(`${text} me=Ri Myong-chol`))).toBe(false);
  expect(isX264Settings(payload(`${text}\n2024-03-01`))).toBe(false);
  expect(isX264Settings(Buffer.concat([payload(text), Buffer.from('MDPM')]))).toBe(false);
});

test('video in a codec whose frames cannot be inspected (MJPEG) is held back', async () => {
  const mjpeg = ffmpegTo(dirs.fixtures, 'mjpeg.mov', [
    ...['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=15:duration=1', '-c:v', 'mjpeg'],
  ]);
  const { result, data } = await stream(mjpeg, 65536, dirs.ctx);
  expect(result).toMatchObject({
    status: 'unsanitised',
    reason: 'TOO_LARGE_TO_SANITISE',
    report: { notes: ['streaming remux declined (video in a codec that cannot be inspected)'] },
  });
  expect(data.length).toBe(0);
});

test('exiftool is shown whole video samples only; its warnings on a video track fail', async () => {
  const native = remuxIsoBmff(big);
  if (!native.ok) throw new Error(native.why);
  const check = new IsoBmffOutputCheck(native.data.length);
  for (let at = 0; at < native.data.length; at += 65536) {
    check.push(native.data.subarray(at, at + 65536));
  }
  const verdict = check.finish();
  expect(verdict.leftover).toEqual([]);
  // Track 1 is the video: only the audio track's cut-off warnings are allowed.
  expect(verdict.skeletonAllowed.map(String)).toEqual(['/^ExifTool:Track2:Warning$/']);
  const allowed = [...STRUCTURAL, ...verdict.skeletonAllowed];
  expect(await verifyClean(verdict.skeleton!, 'mp4', dirs.ctx, allowed)).toEqual({ ok: true });

  // Before the video samples past the skeleton's end were left out of it, exiftool read them
  // cut off, warned, and that warning was allowed: shown so, it is now a finding.
  const { samples } = inputSamples(native.data);
  const cut = Buffer.from(verdict.skeleton!);
  const moov = readBoxes(cut, 0, cut.length).find((t) => t.type === 'moov')!;
  const inOutput = videoSamples(native.data.subarray(moov.start, moov.end));
  inOutput.sizeAt.forEach((o, i) => cut.writeUInt32BE(samples.sizes[i]!, moov.start + o));
  const verdictCut = await verifyClean(cut, 'mp4', dirs.ctx, allowed);
  expect(verdictCut).toEqual({ ok: false, leftover: ['ExifTool:Track1:Warning'] });
});
