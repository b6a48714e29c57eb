import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sanitiseFile } from '../../../worker/sanitise';
import type { SanitiseResult } from '../../../worker/sanitise/types';
import { makeM4a, makeMp3, makeOther, MEDIA_PLANTED } from '../../fixtures/make-media';
import { PLANTED } from '../../fixtures/make-office';
import { dumpTags, sanitiseTestDirs, recoverable } from '../../fixtures/make-sanitise-context';

const planted = [
  MEDIA_PLANTED.artist,
  MEDIA_PLANTED.title,
  MEDIA_PLANTED.comment,
  MEDIA_PLANTED.coverTitle,
  '37.5665',
  '2024:03:01',
  PLANTED.exifArtist,
  PLANTED.exifSerial,
  'Lavf5', // the muxer's version string ('Lavf' alone stays in an MP3's Xing header)
];
const dirs = sanitiseTestDirs();

function duration(data: Buffer, ext: string): number {
  const path = join(dirs.fixtures, `probe.${ext}`);
  writeFileSync(path, data);
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_format', '-of', 'json', path]);
  return Number((JSON.parse(out.toString()) as { format: { duration: string } }).format.duration);
}

async function cleanAndCheck(
  input: Buffer,
  ext: string,
): Promise<Extract<SanitiseResult, { status: 'clean' }>> {
  const before = await dumpTags(input, ext, dirs.ctx);
  expect(recoverable(input, planted, before.text).length).toBeGreaterThan(2); // plants are visible
  const result = await sanitiseFile(input, { name: `voice.${ext}`, type: '' }, dirs.ctx);
  if (result.status !== 'clean')
    throw new Error(`not clean: ${result.reason} ${JSON.stringify(result.report)}`);
  expect(result.extension).toBe(ext);
  const after = await dumpTags(result.data, ext, dirs.ctx);
  expect(recoverable(result.data, planted, after.text)).toEqual([]);
  expect(Math.abs(duration(result.data, ext) - duration(input, ext))).toBeLessThan(0.1);
  expect(readdirSync(dirs.ctx.tmpDir)).toEqual([]); // nothing left on tmpfs
  return result;
}

test('MP3: ID3v2, ID3v1 and cover art (with its EXIF) gone, duration kept', async () => {
  const result = await cleanAndCheck(await makeMp3(dirs.fixtures), 'mp3');
  expect(result.data.subarray(0, 3).toString('latin1')).not.toBe('ID3');
  expect(result.data.subarray(-128, -125).toString('latin1')).not.toBe('TAG');
  // Counts, not names: tag names can be free text written by whoever made the file.
  expect(result.report.removed).toEqual([
    'ID3v2 tag (4 frames)',
    'cover art',
    'ID3v1 tag',
    'encoder version in the LAME header',
  ]);
});

test('M4A: location, creation date and tags gone, dates zeroed, duration kept', async () => {
  const result = await cleanAndCheck(await makeM4a(dirs.fixtures), 'm4a');
  expect(result.report.removed[0]).toMatch(/^container and stream tags \(\d+\)$/);
  const { text } = await dumpTags(result.data, 'm4a', dirs.ctx);
  for (const [key, value] of JSON.parse(text) as [string, unknown][]) {
    if (/Date$/.test(key)) expect(value).toBe('0000:00:00 00:00:00');
  }
});

test.each(['ogg', 'wav'] as const)('%s: tags gone, duration kept', async (ext) => {
  const result = await cleanAndCheck(await makeOther(dirs.fixtures, ext), ext);
  expect(result.report.removed[0]).toMatch(/^container and stream tags \(\d+\)$/);
});

test('a truncated file is unsanitised with a reason', async () => {
  const m4a = await makeM4a(dirs.fixtures);
  const result = await sanitiseFile(m4a.subarray(0, 200), { name: 'a.m4a', type: '' }, dirs.ctx);
  expect(result).toMatchObject({ status: 'unsanitised', reason: 'TOOL_FAILED' });
  expect(readdirSync(dirs.ctx.tmpDir)).toEqual([]);
});
