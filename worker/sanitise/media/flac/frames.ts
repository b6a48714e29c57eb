import { Refused } from '../remux';

// FLAC frames (RFC 9639, section 9): the audio region of a FLAC file is checked to be nothing
// but frames, each with a valid header CRC-8 and a whole-frame CRC-16, back to back to the end.
// Frames are not decoded: their length is found where the running CRC-16 closes on a next
// frame header (or the end of the file). See MEDIA.md.

function table(poly: number, bits: 8 | 16): Uint16Array {
  const top = 1 << (bits - 1);
  const mask = (1 << bits) - 1;
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << (bits - 8);
    for (let k = 0; k < 8; k++) c = (c & top ? (c << 1) ^ poly : c << 1) & mask;
    t[i] = c;
  }
  return t;
}

const CRC8 = table(0x07, 8);
const CRC16 = table(0x8005, 16);

/** CRC-8 of a frame header (polynomial x^8+x^2+x+1, initial 0). */
export function crc8(b: Buffer, start: number, end: number): number {
  let c = 0;
  for (let i = start; i < end; i++) c = CRC8[c ^ b[i]!]!;
  return c;
}

/** CRC-16 of a whole frame (polynomial x^16+x^15+x^2+1, initial 0). */
export function crc16(b: Buffer, start: number, end: number): number {
  let c = 0;
  for (let i = start; i < end; i++) c = ((c << 8) & 0xffff) ^ CRC16[(c >> 8) ^ b[i]!]!;
  return c;
}

/**
 * The length of a valid frame header at `o` (sync code, fields that are not reserved, the
 * coded number, optional block size and sample rate, CRC-8), or 0 if there is none.
 */
export function frameHeaderAt(b: Buffer, o: number): number {
  if (o + 6 > b.length || b[o] !== 0xff || (b[o + 1]! & 0xfe) !== 0xf8) return 0;
  const sizeBits = b[o + 2]! >> 4;
  const rateBits = b[o + 2]! & 0x0f;
  const channelBits = b[o + 3]! >> 4;
  const depthBits = (b[o + 3]! >> 1) & 7;
  if (sizeBits === 0 || rateBits === 15 || channelBits > 10 || depthBits === 3) return 0;
  if ((b[o + 3]! & 1) !== 0) return 0;
  let at = o + 4;
  const lead = b[at]!;
  // The coded frame or sample number: UTF-8-like, 1 to 7 bytes.
  let extra = 0;
  if (lead >= 0x80) {
    if (lead < 0xc0 || lead === 0xff) return 0;
    while ((lead << (extra + 1)) & 0x80) extra++;
  }
  if (at + 1 + extra > b.length) return 0;
  for (let i = 1; i <= extra; i++) if ((b[at + i]! & 0xc0) !== 0x80) return 0;
  at += 1 + extra;
  if (sizeBits === 6) at += 1;
  else if (sizeBits === 7) at += 2;
  if (rateBits === 12) at += 1;
  else if (rateBits === 13 || rateBits === 14) at += 2;
  if (at + 1 > b.length || crc8(b, o, at) !== b[at]) return 0;
  return at + 1 - o;
}

/**
 * Checks that `b` from `start` to its end is FLAC frames and nothing else; returns their count.
 * A CRC-16 computed over a frame followed by its own (big-endian) CRC is 0, so a frame ends at
 * the first point past its header where the running CRC is 0 and a next header or the end is.
 * `maxFrame` (STREAMINFO's largest frame, 0 when unknown) bounds that search, so bytes slipped
 * between frames are not taken into a frame by a chance CRC match further on.
 */
export function checkFrames(b: Buffer, start: number, maxFrame: number): number {
  if (start >= b.length) throw new Refused('no FLAC frames');
  let frames = 0;
  let o = start;
  while (o < b.length) {
    const header = frameHeaderAt(b, o);
    if (header === 0)
      throw new Refused(
        frames === 0 ? 'no FLAC frame after the metadata' : 'data between FLAC frames',
      );
    const strategy = b[o + 1]! & 1;
    if (frames > 0 && strategy !== (b[start + 1]! & 1))
      throw new Refused('mixed FLAC blocking strategies');
    let c = 0;
    for (let i = o; i < o + header; i++) c = ((c << 8) & 0xffff) ^ CRC16[(c >> 8) ^ b[i]!]!;
    const limit = maxFrame > 0 ? Math.min(b.length, o + maxFrame + 1) : b.length;
    let end = -1;
    for (let i = o + header; i < limit; i++) {
      // At least one subframe byte and the CRC-16 itself after the header.
      if (c === 0 && i >= o + header + 3 && b[i] === 0xff && frameHeaderAt(b, i) > 0) {
        end = i;
        break;
      }
      c = ((c << 8) & 0xffff) ^ CRC16[(c >> 8) ^ b[i]!]!;
    }
    if (end === -1) {
      if (limit < b.length) throw new Refused('FLAC frame longer than STREAMINFO allows');
      if (c !== 0) throw new Refused('FLAC frame CRC mismatch or data after the frames');
      end = b.length;
    }
    frames++;
    o = end;
  }
  return frames;
}
