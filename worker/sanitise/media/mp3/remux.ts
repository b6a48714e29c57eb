import { FrameWalker } from './frames';
import {
  ascii,
  id3v2Length,
  MAX_FRONT_TAGS,
  neutraliseInfoFrame,
  peelTrailers,
  summariseId3v2,
} from './tags';
import { refusal, Refused, type Remuxed } from '../remux';

export { crc16 } from './tags';

// Native MP3 cleaning of a file held in memory: the MPEG audio frames and nothing else, the
// Xing/Info frame kept with its encoder version cut to the family.

export interface FrontTags {
  /** Where the audio starts: after every ID3v2 tag in front. */
  start: number;
  tags: number;
  frames: number;
  picture: boolean;
}

/** The ID3v2 tags in front of the audio; `b` holds at least all of them. */
export function frontTags(b: Buffer): FrontTags {
  const front: FrontTags = { start: 0, tags: 0, frames: 0, picture: false };
  while (ascii(b, front.start, front.start + 3) === 'ID3') {
    if (front.tags === MAX_FRONT_TAGS) throw new Refused('too many ID3v2 tags');
    const length = id3v2Length(b, front.start);
    if (front.start + length > b.length) throw new Refused('ID3v2 past the end');
    const s = summariseId3v2(b, front.start, front.start + length);
    front.tags++;
    front.frames += s.frames;
    front.picture ||= s.picture;
    front.start += length;
  }
  return front;
}

/** The report's list, by kind and count. */
export function describeMp3(
  front: FrontTags,
  trailers: readonly string[],
  outside: number,
  infoCut: boolean,
): string[] {
  const removed: string[] = [];
  if (front.tags > 0) removed.push(`ID3v2 tag (${front.frames} frames)`);
  if (front.picture) removed.push('cover art');
  for (const r of trailers) if (!removed.some((x) => x.startsWith(r))) removed.push(r);
  if (outside > 0) removed.push(`data between audio frames (${outside} bytes)`);
  if (infoCut) removed.push('encoder version in the LAME header');
  return removed;
}

export function remuxMp3(b: Buffer): Remuxed {
  try {
    return remux(b);
  } catch (e) {
    return refusal(e);
  }
}

function remux(b: Buffer): Remuxed {
  const front = frontTags(b);
  const trailers = peelTrailers(b, front.start);
  const ranges: { start: number; end: number }[] = []; // runs of consecutive frames
  const walker = new FrameWalker(front.start, trailers.end, (bytes, at) => {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last.end === at) last.end = at + bytes.length;
    else ranges.push({ start: at, end: at + bytes.length });
  });
  walker.feed(b, 0);
  walker.finish();
  const first = walker.first!;
  const info = neutraliseInfoFrame(first.bytes, 0, first.frame);
  if (info !== null) ranges[0]!.start += first.frame.length; // the first range starts with it
  const removed = describeMp3(front, trailers.removed, walker.outside, info?.cut ?? false);
  const audio = ranges.map((r) => b.subarray(r.start, r.end));
  return { ok: true, data: Buffer.concat(info === null ? audio : [info.frame, ...audio]), removed };
}
