import type { TopBox } from './boxes';
import { Refused } from '../remux';

// The top-level boxes of an MP4-family file read as a stream; only what `hold` asks for is kept,
// within HELD_BUDGET bytes and MAX_TOP_BOXES boxes, whatever the file's size.

const HELD_BUDGET = 48 * 1024 * 1024;
const MAX_TOP_BOXES = 4096;

/** How many bytes of a box to keep, from its header on (0: none). May throw Refused. */
export type HoldPolicy = (type: string, size: number, budgetLeft: number) => number;

interface Open {
  top: TopBox;
  held: Buffer | null;
  filled: number;
}

export class TopLevelScanner {
  private readonly tops: TopBox[] = [];
  private at = 0;
  private header: Buffer = Buffer.alloc(0);
  private open: Open | null = null;
  private budget = HELD_BUDGET;

  constructor(
    private readonly fileSize: number,
    private readonly hold: HoldPolicy,
  ) {}

  push(chunk: Buffer): void {
    let rest = chunk;
    while (rest.length > 0) {
      if (this.open) rest = this.fill(this.open, rest);
      else rest = this.readHeader(rest);
    }
  }

  /** The boxes read whole so far (with their held bytes), while the file is still pushed. */
  get closed(): readonly TopBox[] {
    return this.tops;
  }

  /** The boxes, once every byte of the file has been pushed. */
  finish(): TopBox[] {
    if (this.at !== this.fileSize || this.open) throw new Refused('box past the end');
    // QuickTime lets a list of atoms end with a 32-bit zero.
    if (this.header.some((x) => x !== 0)) throw new Refused('box header past its parent');
    return this.tops;
  }

  private fill(open: Open, rest: Buffer): Buffer {
    const n = Math.min(open.top.end - this.at, rest.length);
    if (open.held && open.filled < open.held.length) {
      open.filled += rest.copy(
        open.held,
        open.filled,
        0,
        Math.min(n, open.held.length - open.filled),
      );
    }
    this.at += n;
    if (this.at === open.top.end) this.close(open);
    return rest.subarray(n);
  }

  private close(open: Open): void {
    this.tops.push(open.held ? { ...open.top, bytes: open.held } : open.top);
    this.open = null;
  }

  private readHeader(rest: Buffer): Buffer {
    const start = this.at - this.header.length;
    const want = this.header.length >= 8 && this.header.readUInt32BE(0) === 1 ? 16 : 8;
    const take = Math.min(want - this.header.length, rest.length);
    this.header = Buffer.concat([this.header, rest.subarray(0, take)]);
    this.at += take;
    if (this.header.length < want) return rest.subarray(take);
    let size = this.header.readUInt32BE(0);
    if (size === 1 && want === 8) return rest.subarray(take); // a 64-bit size follows
    if (size === 1) size = Number(this.header.readBigUInt64BE(8));
    else if (size === 0) size = this.fileSize - start; // to the end of the file
    const type = this.header.toString('latin1', 4, 8);
    if (size < want || start + size > this.fileSize) throw new Refused('box size');
    if (this.tops.length >= MAX_TOP_BOXES) throw new Refused('too many top-level boxes');
    const keep = Math.min(this.hold(type, size, this.budget), size);
    const held = keep > 0 ? Buffer.alloc(keep) : null;
    if (held) {
      this.budget -= keep;
      this.header.copy(held, 0, 0, Math.min(want, keep));
    }
    const top = { type, start, body: start + want, end: start + size };
    this.header = Buffer.alloc(0);
    const open = { top, held, filled: Math.min(want, keep) };
    if (this.at === top.end) this.close(open);
    else this.open = open;
    return rest.subarray(take);
  }
}
