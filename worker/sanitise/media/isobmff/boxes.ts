import { Refused } from '../remux';

// Reading (views into the input, never copies) and writing ISO BMFF / QuickTime boxes.

export interface Box {
  type: string;
  start: number;
  /** First byte after the header (size, type, 64-bit size if any). */
  body: number;
  end: number;
}

export function readBoxes(b: Buffer, start: number, end: number): Box[] {
  const boxes: Box[] = [];
  let o = start;
  while (o < end) {
    // QuickTime lets a list of atoms end with a 32-bit zero.
    if (end - o < 8 && b.subarray(o, end).every((x) => x === 0)) break;
    if (o + 8 > end) throw new Refused('box header past its parent');
    let size = b.readUInt32BE(o);
    const type = b.toString('latin1', o + 4, o + 8);
    let body = o + 8;
    if (size === 1) {
      if (o + 16 > end) throw new Refused('box header past its parent');
      size = Number(b.readBigUInt64BE(o + 8));
      body = o + 16;
    } else if (size === 0) {
      size = end - o; // to the end of the parent (the file, for a last mdat)
    }
    if (size < body - o || o + size > end) throw new Refused('box size');
    boxes.push({ type, start: o, body, end: o + size });
    o += size;
  }
  return boxes;
}

export const children = (b: Buffer, box: Box, skip = 0): Box[] =>
  readBoxes(b, box.body + skip, box.end);

export const raw = (b: Buffer, box: Box): Buffer => b.subarray(box.start, box.end);

/** A box whose chunk offsets are written after the layout is decided. */
export interface OffsetTable {
  offsets: number[];
  wide: boolean;
}

export type Out = Buffer | { type: string; parts: Out[] } | OffsetTable;

export const box = (type: string, ...parts: Out[]): Out => ({ type, parts });

function isTable(n: Out): n is OffsetTable {
  return !Buffer.isBuffer(n) && 'offsets' in n;
}

export function sizeOf(n: Out): number {
  if (Buffer.isBuffer(n)) return n.length;
  if (isTable(n)) return 16 + n.offsets.length * (n.wide ? 8 : 4);
  const inner = n.parts.reduce((sum, p) => sum + sizeOf(p), 0);
  return inner + (inner + 8 > 0xffffffff ? 16 : 8);
}

/** Serialises `n`; each table's offsets are read when it is written, so fill them in first. */
export function serialise(n: Out): Buffer {
  const out = Buffer.alloc(sizeOf(n));
  write(n, out, 0);
  return out;
}

function write(n: Out, out: Buffer, at: number): number {
  if (Buffer.isBuffer(n)) return at + n.copy(out, at);
  const size = sizeOf(n);
  if (isTable(n)) {
    out.writeUInt32BE(size, at);
    out.write(n.wide ? 'co64' : 'stco', at + 4, 'latin1');
    out.writeUInt32BE(0, at + 8); // version and flags
    out.writeUInt32BE(n.offsets.length, at + 12);
    let o = at + 16;
    for (const v of n.offsets) {
      if (n.wide) out.writeBigUInt64BE(BigInt(v), o);
      else out.writeUInt32BE(v, o);
      o += n.wide ? 8 : 4;
    }
    return o;
  }
  let o = at;
  if (size > 0xffffffff) {
    out.writeUInt32BE(1, o);
    out.write(n.type, o + 4, 'latin1');
    out.writeBigUInt64BE(BigInt(size), o + 8);
    o += 16;
  } else {
    out.writeUInt32BE(size, o);
    out.write(n.type, o + 4, 'latin1');
    o += 8;
  }
  for (const p of n.parts) o = write(p, out, o);
  return o;
}

/** The header of an mdat holding `payload` bytes. */
export function mdatHeader(payload: number): Buffer {
  if (payload + 8 <= 0xffffffff) {
    const h = Buffer.alloc(8);
    h.writeUInt32BE(payload + 8, 0);
    h.write('mdat', 4, 'latin1');
    return h;
  }
  const h = Buffer.alloc(16);
  h.writeUInt32BE(1, 0);
  h.write('mdat', 4, 'latin1');
  h.writeBigUInt64BE(BigInt(payload + 16), 8);
  return h;
}

/** A full box's version byte. */
export const versionOf = (b: Buffer, box: Box): number => b[box.body]!;

/** Reads a 32- or 64-bit unsigned field as a number (files over 2^53 bytes do not exist here). */
export const readUint = (b: Buffer, at: number, wide: boolean): number =>
  wide ? Number(b.readBigUInt64BE(at)) : b.readUInt32BE(at);

/**
 * A top-level box: where it is in the file and, when they are held, its bytes from its header
 * on (all of them for ftyp, moov, meta and udta; a uuid's header and its 16-byte id).
 */
export interface TopBox extends Box {
  bytes?: Buffer;
}

/** A held top-level box as a buffer and the same box relative to it. */
export function heldBox(t: TopBox): { b: Buffer; box: Box } | null {
  if (!t.bytes) return null;
  return {
    b: t.bytes,
    box: { type: t.type, start: 0, body: t.body - t.start, end: t.bytes.length },
  };
}
