import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SanitiseContext, FileSanitiseReport, SanitiseResult } from '../types';
import { verifyClean } from '../verify';
import { MAX_MEDIA_TRACKS } from '../limits';
import { describe, durationOf, mediaLimit, probe, type Probe } from './ffprobe';
import type { Container } from './formats';
import { movieLength } from './isobmff/duration';
import { KEPT, LOSSLESS, TRANSCODED } from './kept';
import { STRUCTURAL, TRANSCODED_TAGS } from './structural-tags';
import { videoFinding } from './video-finding';

const run = promisify(execFile);

// Every container without a native remuxer, and whatever the native ones refuse, through ffmpeg.

export async function withFfmpeg(
  input: Buffer,
  container: Container,
  ctx: SanitiseContext,
  report: FileSanitiseReport,
): Promise<SanitiseResult> {
  const id = randomUUID();
  const output = container.transcodeTo ?? container;
  const inPath = join(ctx.tmpDir, `${id}-in.${container.ext}`);
  const outPath = join(ctx.tmpDir, `${id}-out.${output.ext}`);
  try {
    await writeFile(inPath, input, { mode: 0o600, flag: 'wx' });
    // One step after another: a probe failing while ffmpeg still ran could leave ffmpeg writing
    // its output after the cleanup below (and measured under load, overlapping them saved nothing).
    const read = headersOf(container, input);
    const before = read ?? (await probe(inPath, container.demuxer));
    const limit = mediaLimit(before);
    if (limit) return { status: 'unsanitised', reason: limit, report };
    report.removed = describe(before);
    if (!(await transcoded(container, inPath, outPath))) {
      return { status: 'unsanitised', reason: 'MEDIA_TOO_MANY_TRACKS', report };
    }
    const data = await readFile(outPath);
    // A transcoded MP4's moov gives its length and tracks: a probe would cost a second start-up.
    const own = container.transcodeTo ? mp4Length(data) : null;
    const after = own ? null : await probe(outPath, output.demuxer);
    const written = own ?? { seconds: durationOf(after!), tracks: after!.streams?.length ?? 0 };
    if (written.tracks > MAX_MEDIA_TRACKS) {
      return { status: 'unsanitised', reason: 'MEDIA_TOO_MANY_TRACKS', report };
    }
    let same = sameLength(durationOf(before), written.seconds);
    // Lengths read without ffprobe that disagree: ffprobe's readings of both files decide, and
    // its reading of the input is held to the limits as the header reader's was.
    if (!same && (read || own)) {
      const b = read ? await probe(inPath, container.demuxer) : before;
      const limit = mediaLimit(b);
      if (limit) return { status: 'unsanitised', reason: limit, report };
      const a = after ?? (await probe(outPath, output.demuxer));
      same = sameLength(durationOf(b), durationOf(a));
    }
    if (!same) return { status: 'unsanitised', reason: 'DURATION_CHANGED', report };
    report.kept = [container.transcodeTo ? TRANSCODED : container.losslessAudio ? LOSSLESS : KEPT];
    const found = videoFinding(data, output, after);
    const verdict = found
      ? { ok: false as const, leftover: [found] }
      : await verifyClean(
          data,
          output.ext,
          ctx,
          container.transcodeTo ? TRANSCODED_TAGS : STRUCTURAL,
        );
    if (!verdict.ok) {
      report.notes = [`left after cleaning: ${verdict.leftover.join(', ')}`];
      return { status: 'unsanitised', reason: 'VERIFY_FAILED', report };
    }
    return { status: 'clean', data, mime: output.mime, extension: output.ext, report };
  } catch {
    return { status: 'unsanitised', reason: 'TOOL_FAILED', report };
  } finally {
    await Promise.all([inPath, outPath].map((p) => unlink(p).catch(() => undefined)));
  }
}

/** What the container's own header reader says (null: none, or it declined; ffprobe reads it). */
function headersOf(c: Container, input: Buffer): Probe | null {
  try {
    return c.headers?.(input) ?? null;
  } catch {
    return null; // Refused, or a reader's own fault: either way ffprobe reads the file
  }
}

/** The output is as long as the input (when the input's length is known at all). */
const sameLength = (input: number | undefined, output: number | undefined): boolean =>
  output !== undefined && (input === undefined || Math.abs(input - output) <= 0.1);

/** The MP4's own length and track count, or null when its moov cannot be read (ffprobe then). */
function mp4Length(data: Buffer): { seconds: number; tracks: number } | null {
  try {
    return movieLength(data);
  } catch {
    return null;
  }
}

/**
 * Runs ffmpeg; false when it refused the input for holding more streams than the track limit
 * (which it counts as it reads, where a header reader could be misled). Other failures throw.
 */
async function transcoded(c: Container, inPath: string, outPath: string): Promise<boolean> {
  try {
    await run('ffmpeg', ffmpegArgs(c, inPath, outPath), { timeout: 600_000 });
    return true;
  } catch (e) {
    if (String((e as { stderr?: unknown }).stderr).includes('exceeds max_streams')) return false;
    throw e;
  }
}

function ffmpegArgs(c: Container, inPath: string, outPath: string): string[] {
  return [
    ...['-hide_banner', '-nostdin', '-v', 'error', '-protocol_whitelist', 'file'],
    ...['-max_streams', String(MAX_MEDIA_TRACKS), '-f', c.demuxer, '-i', inPath],
    // Audio, and video that is not an attached picture (cover art): nothing else is mapped.
    ...['-map', '0:a?', '-map', '0:V?', '-dn', '-sn'],
    ...['-map_metadata', '-1', '-map_metadata:s', '-1', '-map_chapters', '-1'],
    ...(c.transcodeTo
      ? ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p']
      : ['-c', 'copy', ...(c.losslessAudio ? ['-c:a', c.losslessAudio] : [])]),
    ...(c.transcodeTo ? ['-c:a', 'aac', '-b:a', '128k', '-f', 'mp4'] : []),
    ...['-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact'],
    // No ID3v2 header at all (ffmpeg would otherwise write an empty one), no ID3v1.
    ...(c.ext === 'mp3' ? ['-id3v2_version', '0', '-write_id3v1', '0'] : []),
    ...['-y', outPath],
  ];
}
