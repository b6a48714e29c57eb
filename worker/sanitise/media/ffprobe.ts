import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LimitExceeded, MAX_MEDIA_SECONDS, MAX_MEDIA_TRACKS } from '../limits';

const run = promisify(execFile);

export interface Probe {
  format?: { duration?: string; tags?: Record<string, string> };
  streams?: {
    codec_type?: string;
    duration?: string;
    tags?: Record<string, string>;
    disposition?: { attached_pic?: number };
  }[];
  chapters?: unknown[];
}

export async function probe(path: string, demuxer: string): Promise<Probe> {
  const { stdout } = await run(
    'ffprobe',
    [
      '-v',
      'error',
      '-f',
      demuxer,
      '-show_format',
      '-show_streams',
      '-show_chapters',
      '-of',
      'json',
      path,
    ],
    { timeout: 60_000, maxBuffer: 16 << 20 },
  );
  return JSON.parse(stdout) as Probe;
}

/** A length or a number of tracks past the limits (limits.ts), from the probe. */
export function mediaLimit(p: Probe): LimitExceeded['code'] | null {
  if ((p.streams ?? []).length > MAX_MEDIA_TRACKS) return 'MEDIA_TOO_MANY_TRACKS';
  if ((durationOf(p) ?? 0) > MAX_MEDIA_SECONDS) return 'MEDIA_TOO_LONG';
  return null;
}

export function durationOf(p: Probe): number | undefined {
  const values = [p.format?.duration, ...(p.streams ?? []).map((s) => s.duration)]
    .map((d) => Number(d))
    .filter((d) => Number.isFinite(d) && d > 0);
  return values.length > 0 ? Math.max(...values) : undefined;
}

/**
 * What the remux drops, by kind and count. Tag names are not listed: ID3 TXXX descriptions and
 * MP4 freeform keys are free text chosen by whoever wrote the file.
 */
export function describe(p: Probe): string[] {
  const removed: string[] = [];
  const tagNames = new Set(Object.keys(p.format?.tags ?? {}));
  for (const s of p.streams ?? []) for (const k of Object.keys(s.tags ?? {})) tagNames.add(k);
  if (tagNames.size > 0) removed.push(`container and stream tags (${tagNames.size})`);
  if ((p.chapters ?? []).length > 0) removed.push('chapters');
  const streams = p.streams ?? [];
  if (streams.some((s) => s.disposition?.attached_pic === 1)) removed.push('cover art');
  for (const kind of ['subtitle', 'data', 'attachment']) {
    const n = streams.filter((s) => s.codec_type === kind).length;
    if (n > 0) removed.push(`${kind} streams (${n})`);
  }
  return removed;
}
