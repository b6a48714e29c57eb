import { MAX_AIFF_CHUNKS } from '../../limits';
import { Refused } from '../remux';

// The chunks of an AIFF or AIFF-C file (FORM, size, 'AIFF'/'AIFC', then id/size/data chunks
// padded to an even length), read bounded: the FORM must end exactly at the end of the file
// and every chunk inside it. See MEDIA.md.

export interface Chunk {
  id: string;
  /** The chunk's data, its header and pad byte excluded. */
  start: number;
  end: number;
}

export interface Form {
  aifc: boolean;
  chunks: Chunk[];
}

export function readForm(b: Buffer): Form {
  if (b.length < 12 || b.toString('latin1', 0, 4) !== 'FORM') throw new Refused('not an AIFF FORM');
  const kind = b.toString('latin1', 8, 12);
  if (kind !== 'AIFF' && kind !== 'AIFC') throw new Refused('not an AIFF FORM');
  const end = 8 + b.readUInt32BE(4);
  if (end > b.length) throw new Refused('AIFF FORM past the end');
  if (end < b.length) throw new Refused('bytes after the AIFF FORM');
  const chunks: Chunk[] = [];
  let o = 12;
  while (o < end) {
    if (chunks.length === MAX_AIFF_CHUNKS) throw new Refused('too many AIFF chunks');
    if (o + 8 > end) throw new Refused('AIFF chunk header past the end');
    const size = b.readUInt32BE(o + 4);
    const start = o + 8;
    if (start + size > end) throw new Refused('AIFF chunk past the end');
    chunks.push({ id: b.toString('latin1', o, o + 4), start, end: start + size });
    o = start + size + (size & 1);
    if (o > end) throw new Refused('AIFF chunk pad byte past the end');
  }
  return { aifc: kind === 'AIFC', chunks };
}

/** An 80-bit IEEE 754 extended number (AIFF's sample rate), as a double. */
export function extended(b: Buffer, o: number): number {
  const exponent = b.readUInt16BE(o) & 0x7fff;
  const mantissa = b.readUInt32BE(o + 2) * 2 ** 32 + b.readUInt32BE(o + 6);
  if (exponent === 0 && mantissa === 0) return 0;
  const sign = b[o]! & 0x80 ? -1 : 1;
  return sign * mantissa * 2 ** (exponent - 16383 - 63);
}
