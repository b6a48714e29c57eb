import { FrameWalker, frameAt, sameStream, type Frame } from './frames';
import { describeMp3, frontTags } from './remux';
import { id3v2Length, MAX_FRONT_TAGS, neutraliseInfoFrame, peelTrailers } from './tags';
import { Refused } from '../remux';
import type { OutputCheck, StreamPlan, Streamer } from '../stream.types';

// MP3 cleaned as a stream in three bounded forward passes: tags, then counting frames, then
// writing them. See MEDIA.md.

const HEAD_MAX = 16 * 1024 * 1024;
const TAIL_MAX = 8 * 1024 * 1024;

export class Mp3Streamer implements Streamer {
  private head: Buffer[] = [];
  private headBytes = 0;
  /** Where the ID3v2 tags found so far end; null once the audio is seen to start. */
  private frontEnd: number | null = 0;
  private frontTags = 0;
  /** The held chunk that holds `frontEnd`, and where that chunk starts in the file. */
  private cursor = 0;
  private cursorAt = 0;
  /** The last bytes seen, in a ring written over in place: no allocation per chunk. */
  private readonly ring: Buffer;
  private seen = 0;

  constructor(private readonly size: number) {
    this.ring = Buffer.alloc(Math.min(size, TAIL_MAX));
  }

  push(chunk: Buffer): void {
    if (this.frontEnd !== null) {
      this.head.push(Buffer.from(chunk));
      this.headBytes += chunk.length;
      this.findFront();
    }
    // Only the last ring.length bytes of the chunk can still be in the tail.
    const piece = chunk.subarray(Math.max(0, chunk.length - this.ring.length));
    const at = (this.seen + chunk.length - piece.length) % this.ring.length;
    const first = piece.copy(this.ring, at);
    piece.copy(this.ring, 0, first);
    this.seen += chunk.length;
  }

  /**
   * Follows the ID3v2 tags in front while their headers arrive; the head is kept to their end.
   * Each header is read where it lies among the held chunks (never by joining them: stacked
   * tiny tags made that quadratic), and past MAX_FRONT_TAGS tags the file is refused.
   */
  private findFront(): void {
    while (this.frontEnd !== null && this.headBytes >= this.frontEnd + 10) {
      const at = this.frontEnd;
      const header = this.headAt(at, 10);
      if (header.toString('latin1', 0, 3) !== 'ID3') {
        this.head = [Buffer.concat(this.head).subarray(0, at)];
        this.frontEnd = null;
        return;
      }
      if (++this.frontTags > MAX_FRONT_TAGS) throw new Refused('too many ID3v2 tags');
      this.frontEnd = at + id3v2Length(header, 0);
      if (this.frontEnd > HEAD_MAX) throw new Refused('ID3v2 tags too large to hold');
    }
  }

  /** `length` held bytes from file offset `at`, which is never before the cursor's chunk. */
  private headAt(at: number, length: number): Buffer {
    while (this.cursorAt + this.head[this.cursor]!.length <= at) {
      this.cursorAt += this.head[this.cursor]!.length;
      this.cursor++;
    }
    const parts: Buffer[] = [];
    let from = at - this.cursorAt;
    for (let i = this.cursor, n = 0; n < length; i++, from = 0) {
      const part = this.head[i]!.subarray(from, from + length - n);
      parts.push(part);
      n += part.length;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** The ring's bytes in file order. */
  private tail(): Buffer {
    const cut = this.seen % this.ring.length;
    return Buffer.concat([this.ring.subarray(cut), this.ring.subarray(0, cut)]);
  }

  async plan(pass: () => AsyncIterable<Buffer>): Promise<StreamPlan> {
    const front = frontTags(Buffer.concat(this.head));
    const tail = this.tail();
    const base = this.size - tail.length;
    const trailers = peelTrailers(tail, Math.max(0, front.start - base));
    const end = base + trailers.end;
    this.head = [];
    this.ring.fill(0);

    let size = 0;
    const counted = await walk(pass, front.start, end, (bytes) => (size += bytes.length));
    const first = counted.first!;
    const info = neutraliseInfoFrame(first.bytes, 0, first.frame);
    const removed = describeMp3(front, trailers.removed, counted.outside, info?.cut ?? false);
    return {
      size,
      removed,
      write: async (emit) => {
        let pending: Buffer[] = [];
        await walk(
          pass,
          front.start,
          end,
          (bytes, at) => pending.push(at === first.at && info ? info.frame : bytes),
          async () => {
            // One write per piece fed, after the walk: the frames seen are views of bytes
            // nothing rewrites, and the sink's backpressure is awaited here.
            if (pending.length > 0) await emit(Buffer.concat(pending));
            pending = [];
          },
        );
      },
    };
  }

  check(): OutputCheck {
    return new Mp3OutputCheck();
  }
}

async function walk(
  pass: () => AsyncIterable<Buffer>,
  start: number,
  end: number,
  onFrame: (bytes: Buffer, at: number) => void,
  afterPiece?: () => Promise<void>,
): Promise<FrameWalker> {
  const walker = new FrameWalker(start, end, onFrame);
  let at = 0;
  for await (const chunk of pass()) {
    walker.feed(chunk, at);
    at += chunk.length;
    if (at >= end) break;
    await afterPiece?.();
  }
  walker.finish();
  await afterPiece?.();
  return walker;
}

const SKELETON_MAX = 64 * 1024;

/**
 * The output re-read as it is written: from its first byte to its last, nothing but Layer III
 * frames of one stream follow each other — no room for an ID3v2 tag in front, an ID3v1, APE or
 * Lyrics3 tag behind, or anything between. Frame contents are codec data (the Xing frame's
 * fields included, which exiftool reads from the skeleton: the first whole frames, up to 64 KiB).
 * Holds one partial frame and the skeleton: bounded.
 */
class Mp3OutputCheck implements OutputCheck {
  private carry: Buffer = Buffer.alloc(0);
  private ref: Frame | undefined;
  private problem: string | null = null;
  private readonly skeleton: Buffer[] = [];
  private skeletonBytes = 0;

  push(chunk: Buffer): void {
    if (this.problem !== null) return;
    const b = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    let o = 0;
    while (o + 4 <= b.length) {
      const f = frameAt(b, o);
      if (f === null || (this.ref !== undefined && !sameStream(f, this.ref))) {
        this.problem = 'bytes that are not audio frames';
        return;
      }
      this.ref ??= f;
      if (o + f.length > b.length) break;
      if (this.skeletonBytes + f.length <= SKELETON_MAX) {
        this.skeleton.push(Buffer.from(b.subarray(o, o + f.length)));
        this.skeletonBytes += f.length;
      }
      o += f.length;
    }
    this.carry = Buffer.from(b.subarray(o));
  }

  finish(): { leftover: string[]; skeleton: Buffer | null; skeletonAllowed: RegExp[] } {
    if (this.problem === null && this.carry.length > 0) this.problem = 'a partial frame at the end';
    if (this.problem === null && this.ref === undefined) this.problem = 'no audio frames';
    if (this.problem !== null) {
      return { leftover: [`output: ${this.problem}`], skeleton: null, skeletonAllowed: [] };
    }
    return { leftover: [], skeleton: Buffer.concat(this.skeleton), skeletonAllowed: [] };
  }
}
