import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sanitiseFile } from '../../../worker/sanitise';
import type { Remuxed } from '../../../worker/sanitise/media/remux';
import type { SanitiseResult } from '../../../worker/sanitise/types';
import { dumpTags, recoverable, type TestDirs } from '../../fixtures/make-sanitise-context';

// Shared checks of the FLAC and AIFF native remuxer tests (flac-native, aiff-native): the
// output holds no planted value (raw bytes, exiftool -a -G1 -ee3 -u), decodes to the same
// duration and bit-identical PCM, and a declined file still comes out clean through ffmpeg.

export type Clean = Extract<SanitiseResult, { status: 'clean' }>;

export function onDisk(dirs: TestDirs, data: Buffer, name: string): string {
  const path = join(dirs.fixtures, name);
  writeFileSync(path, data);
  return path;
}

/** exiftool's command-line reading of every tag, as the issue states it. */
function exiftoolText(dirs: TestDirs, data: Buffer, ext: string): string {
  const path = onDisk(dirs, data, `tags.${ext}`);
  return execFileSync('exiftool', ['-a', '-G1', '-ee3', '-u', path]).toString('latin1');
}

function duration(dirs: TestDirs, data: Buffer, ext: string): number {
  const path = onDisk(dirs, data, `probe.${ext}`);
  const out = execFileSync('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'format=duration',
    '-of',
    'csv=p=0',
    path,
  ]);
  return Number(out.toString().trim());
}

/** ffmpeg's md5 of the decoded audio samples (signed 16- or 24-bit PCM as decoded). */
export function pcmMd5(dirs: TestDirs, data: Buffer, ext: string): string {
  const path = onDisk(dirs, data, `pcm.${ext}`);
  const args = ['-v', 'error', '-i', path, '-map', '0:a:0', '-f', 'md5', '-'];
  return execFileSync('ffmpeg', args).toString().trim();
}

/** Planted values are in the input, and none of them is in the output, by either reading. */
export async function expectClean(
  dirs: TestDirs,
  input: Buffer,
  output: Buffer,
  ext: string,
  planted: string[],
): Promise<void> {
  const before = exiftoolText(dirs, input, ext);
  expect(recoverable(input, planted, before).length).toBeGreaterThan(0);
  const { text } = await dumpTags(output, ext, dirs.ctx);
  expect(recoverable(output, planted, text, exiftoolText(dirs, output, ext))).toEqual([]);
}

/** Same duration and the same decoded samples. */
export function expectSameAudio(dirs: TestDirs, input: Buffer, output: Buffer, ext: string): void {
  expect(Math.abs(duration(dirs, output, ext) - duration(dirs, input, ext))).toBeLessThan(0.01);
  expect(pcmMd5(dirs, output, ext)).toBe(pcmMd5(dirs, input, ext));
}

/** The native remuxer takes the file, and the sanitiser's output is its output, verified clean. */
export async function nativeClean(
  dirs: TestDirs,
  input: Buffer,
  ext: string,
  remux: (b: Buffer) => Remuxed,
  planted: string[],
): Promise<Clean> {
  const native = remux(input);
  if (!native.ok) throw new Error(`native remux declined: ${native.why}`);
  const result = await sanitiseFile(input, { name: `a.${ext}`, type: '' }, dirs.ctx);
  if (result.status !== 'clean') throw new Error(`not clean: ${JSON.stringify(result.report)}`);
  expect(result.report.notes).toBeUndefined(); // no fallback to ffmpeg
  expect(result.data.equals(native.data)).toBe(true);
  await expectClean(dirs, input, result.data, ext, planted);
  return result;
}

/** The native remuxer declines (with `why`), and ffmpeg's output is clean, its note says so. */
export async function declinedClean(
  dirs: TestDirs,
  input: Buffer,
  ext: string,
  remux: (b: Buffer) => Remuxed,
  why: RegExp,
  planted: string[],
): Promise<Clean> {
  const native = remux(input);
  expect(native.ok ? 'accepted' : native.why).toMatch(why);
  const result = await sanitiseFile(input, { name: `a.${ext}`, type: '' }, dirs.ctx);
  if (result.status !== 'clean') throw new Error(`not clean: ${JSON.stringify(result.report)}`);
  expect(result.report.notes?.[0]).toMatch(
    /^native remux declined \(.+\); remuxed with ffmpeg instead$/,
  );
  await expectClean(dirs, input, result.data, ext, planted);
  return result;
}
