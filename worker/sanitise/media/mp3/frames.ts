import { Refused } from '../remux';

// MPEG audio Layer III frames, and the walk that finds them between an MP3's tags, fed in
// pieces within a bounded window. See MEDIA.md.

const KBPS_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const KBPS_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const RATES: Record<number, number[]> = {
  3: [44100, 48000, 32000], // MPEG-1
  2: [22050, 24000, 16000], // MPEG-2
  0: [11025, 12000, 8000], // MPEG-2.5
};

/** The longest Layer III frame (MPEG-1 at 320 kbit/s, 32 kHz, padded) is 1441 bytes. */
const LOOKAHEAD = 3 * 1441 + 4;

export interface Frame {
  version: number;
  rate: number;
  length: number;
  mono: boolean;
  protectedByCrc: boolean;
}

/** A Layer III frame header at `o`, or null. Free-format (bitrate index 0) is not accepted. */
export function frameAt(b: Buffer, o: number): Frame | null {
  if (o < 0 || o + 4 > b.length) return null;
  const [b1, b2, b3] = [b[o + 1]!, b[o + 2]!, b[o + 3]!];
  if (b[o] !== 0xff || (b1 & 0xe0) !== 0xe0) return null;
  const version = (b1 >> 3) & 3;
  const layer = (b1 >> 1) & 3;
  const bitrate = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (version === 1 || layer !== 1 || bitrate === 0 || bitrate === 15 || rateIndex === 3) {
    return null;
  }
  const rate = RATES[version]![rateIndex]!;
  const kbps = (version === 3 ? KBPS_V1 : KBPS_V2)[bitrate]!;
  const length = Math.floor(((version === 3 ? 144 : 72) * kbps * 1000) / rate) + ((b2 >> 1) & 1);
  return { version, rate, length, mono: b3 >> 6 === 3, protectedByCrc: (b1 & 1) === 0 };
}

export const sameStream = (f: Frame, ref: Frame): boolean =>
  f.version === ref.version && f.rate === ref.rate;

/**
 * Whether three frames of one stream follow each other from `o` (or fewer that end exactly at
 * `end`): a lone 0xFFF sync pattern inside other data is not taken for audio.
 */
function runOfFrames(b: Buffer, o: number, end: number, ref?: Frame): boolean {
  let at = o;
  for (let n = 0; n < 3; n++) {
    if (at === end && n > 0) return true;
    const f = frameAt(b, at);
    if (f === null || (ref !== undefined && !sameStream(f, ref)) || at + f.length > end)
      return false;
    ref ??= f;
    at += f.length;
  }
  return true;
}

/** Sees each frame kept, in order: its bytes (valid during the call only) and file offset. */
export type OnFrame = (bytes: Buffer, at: number) => void;

/** The frames between `start` and `end` (file offsets), fed as consecutive pieces. */
export class FrameWalker {
  first: { frame: Frame; at: number; bytes: Buffer } | undefined;
  /** Non-zero bytes that were neither a tag nor a frame. */
  outside = 0;
  private window: Buffer = Buffer.alloc(0);
  private windowStart: number;
  private o: number;
  private skipping = false;

  constructor(
    start: number,
    private readonly end: number,
    private readonly onFrame: OnFrame,
  ) {
    this.windowStart = start;
    this.o = start;
  }

  /** `piece` starts at file offset `at`; pieces come in order, without gaps. */
  feed(piece: Buffer, at: number): void {
    const from = Math.max(this.windowStart + this.window.length, at);
    const to = Math.min(at + piece.length, this.end);
    if (to <= from) return;
    const fresh = piece.subarray(from - at, to - at);
    const kept = this.window.subarray(this.o - this.windowStart);
    this.window = kept.length === 0 ? fresh : Buffer.concat([kept, fresh]);
    this.windowStart = this.o;
    if (this.windowStart + this.window.length === this.end) return; // finish() takes the rest
    this.walk(this.windowStart + this.window.length - LOOKAHEAD);
  }

  finish(): void {
    if (this.windowStart + this.window.length !== this.end) throw new Refused('audio past the end');
    this.walk(this.end);
    if (this.first === undefined) throw new Refused('no MPEG audio frames');
  }

  /** Steps while the position is below `limit`; each step reads only inside the window. */
  private walk(limit: number): void {
    const b = this.window;
    const base = this.windowStart;
    const end = this.end - base;
    let o = this.o - base;
    const stop = limit - base;
    while (o < stop) {
      if (this.skipping) {
        // Not a frame: on to where a run of frames starts again; what is passed is dropped.
        while (o < stop && !runOfFrames(b, o, end, this.first?.frame)) {
          if (b[o] !== 0) this.outside++;
          o++;
        }
        if (o >= stop) break;
        this.skipping = false;
      }
      const f = frameAt(b, o);
      const inStep = f !== null && this.first !== undefined && sameStream(f, this.first.frame);
      if (f === null || !(inStep || (this.first === undefined && runOfFrames(b, o, end)))) {
        if (b[o] !== 0) this.outside++;
        o++;
        this.skipping = true;
        continue;
      }
      if (o + f.length > end) throw new Refused('truncated frame');
      const bytes = b.subarray(o, o + f.length);
      this.first ??= { frame: f, at: base + o, bytes: Buffer.from(bytes) };
      this.onFrame(bytes, base + o);
      o += f.length;
    }
    this.o = base + o;
  }
}
