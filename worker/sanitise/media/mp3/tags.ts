import type { Frame } from './frames';
import { Refused } from '../remux';

// The parts of an MP3 that are not audio frames: tags in front and behind, and the Xing/Info
// frame's encoder fields (cut to the family, CRC recomputed).

export const ascii = (b: Buffer, start: number, end: number): string =>
  b.subarray(start, Math.min(end, b.length)).toString('latin1');

const syncsafe = (b: Buffer, o: number): number =>
  ((b[o]! & 0x7f) << 21) |
  ((b[o + 1]! & 0x7f) << 14) |
  ((b[o + 2]! & 0x7f) << 7) |
  (b[o + 3]! & 0x7f);

export interface Id3Summary {
  frames: number;
  picture: boolean;
}

/** Counts an ID3v2 tag's frames (for the report only: a tag we cannot walk is still dropped). */
export function summariseId3v2(b: Buffer, start: number, end: number): Id3Summary {
  const major = b[start + 3]!;
  const idLength = major === 2 ? 3 : 4;
  const headerLength = major === 2 ? 6 : 10;
  let o = start + 10;
  if (major >= 3 && b[start + 5]! & 0x40 && o + 4 <= end) {
    // Extended header: v2.3 gives its size without the size field, v2.4 with it (syncsafe).
    o += major === 3 ? 4 + b.readUInt32BE(o) : syncsafe(b, o);
  }
  const summary: Id3Summary = { frames: 0, picture: false };
  while (o + headerLength <= end && o + headerLength <= b.length && b[o] !== 0) {
    const id = ascii(b, o, o + idLength);
    if (!/^[A-Z0-9]+$/.test(id)) break;
    const size =
      major === 2
        ? b.readUIntBE(o + 3, 3)
        : major === 4
          ? syncsafe(b, o + 4)
          : b.readUInt32BE(o + 4);
    if (id === 'APIC' || id === 'PIC') summary.picture = true;
    else summary.frames++;
    o += headerLength + size;
  }
  return summary;
}

/**
 * More ID3v2 tags stacked in front than any tagger writes (one, two with an old and a new
 * version) is not a tag but a pile: refused, rather than walked tag by tag.
 */
export const MAX_FRONT_TAGS = 64;

/** One ID3v2 tag starting at `o`: its total length, header to footer. */
export function id3v2Length(b: Buffer, o: number): number {
  if (o + 10 > b.length || ![2, 3, 4].includes(b[o + 3]!)) throw new Refused('ID3v2 version');
  if ([6, 7, 8, 9].some((i) => b[o + i]! & 0x80)) throw new Refused('ID3v2 size');
  const footer = b[o + 3] === 4 && b[o + 5]! & 0x10 ? 10 : 0;
  return 10 + syncsafe(b, o + 6) + footer;
}

export interface Trailers {
  end: number;
  removed: string[];
}

/** Peels the tags that may follow the audio, last first, until none is left. */
export function peelTrailers(b: Buffer, start: number): Trailers {
  let end = b.length;
  const removed = new Set<string>();
  for (;;) {
    if (end - 128 >= start && ascii(b, end - 128, end - 125) === 'TAG') {
      end -= 128;
      removed.add('ID3v1 tag');
      if (end - 227 >= start && ascii(b, end - 227, end - 223) === 'TAG+') end -= 227;
    } else if (end - 32 >= start && ascii(b, end - 32, end - 24) === 'APETAGEX') {
      // APE footer: size counts items and footer; a header, when flagged, comes on top.
      const size = b.readUInt32LE(end - 20);
      const total = size + (b.readUInt32LE(end - 12) & 0x80000000 ? 32 : 0);
      if (size < 32 || end - total < start) throw new Refused('APE size');
      end -= total;
      removed.add('APE tag');
    } else if (end - 15 >= start && ascii(b, end - 9, end) === 'LYRICS200') {
      const digits = ascii(b, end - 15, end - 9);
      const total = Number(digits) + 15;
      if (!/^\d{6}$/.test(digits) || end - total < start) throw new Refused('Lyrics3 size');
      if (ascii(b, end - total, end - total + 11) !== 'LYRICSBEGIN') throw new Refused('Lyrics3');
      end -= total;
      removed.add('Lyrics3 tag');
    } else if (end - 9 >= start && ascii(b, end - 9, end) === 'LYRICSEND') {
      // Lyrics3 v1 has no size: its begin marker is at most 5100 bytes of lyrics back.
      const from = Math.max(start, end - 5100 - 20);
      const at = b.subarray(from, end).lastIndexOf('LYRICSBEGIN', undefined, 'latin1');
      if (at < 0) throw new Refused('Lyrics3 v1');
      end = from + at;
      removed.add('Lyrics3 tag');
    } else if (end - 10 >= start && ascii(b, end - 10, end - 7) === '3DI') {
      // An ID3v2.4 tag appended at the end, found by its footer.
      const total = 20 + syncsafe(b, end - 4);
      if (end - total < start || ascii(b, end - total, end - total + 3) !== 'ID3') {
        throw new Refused('appended ID3v2');
      }
      end -= total;
      removed.add('ID3v2 tag');
    } else {
      return { end, removed: [...removed] };
    }
  }
}

/**
 * A copy of the Xing/Info frame with the LAME extension's version cut to its family and the CRC
 * fixed, and every byte after the header fields zeroed (only zeros belong there); null when the
 * first frame is ordinary audio.
 */
export function neutraliseInfoFrame(
  b: Buffer,
  at: number,
  f: Frame,
): { frame: Buffer; cut: boolean } | null {
  const sideInfo = f.version === 3 ? (f.mono ? 17 : 32) : f.mono ? 9 : 17;
  const x = at + 4 + (f.protectedByCrc ? 2 : 0) + sideInfo;
  if (x + 8 > at + f.length) return null; // too short to hold a Xing header
  const magic = ascii(b, x, x + 4);
  if (magic !== 'Xing' && magic !== 'Info') return null;
  const flags = b.readUInt32BE(x + 4);
  const lame =
    x + 8 + (flags & 1 ? 4 : 0) + (flags & 2 ? 4 : 0) + (flags & 4 ? 100 : 0) + (flags & 8 ? 4 : 0);
  const rel = lame - at;
  const frame = Buffer.from(b.subarray(at, at + f.length));
  if (rel + 36 > frame.length || frame[rel] === 0) {
    // No LAME extension: the Xing fields and nothing else.
    if (rel < frame.length) frame.fill(0, rel);
    return { frame, cut: false };
  }
  const original = frame.readUInt16BE(rel + 34);
  // LAME's CRC covers the frame up to the CRC field; ffmpeg's always covers 190 bytes with the
  // field zeroed. The new CRC follows whichever convention the file used.
  const ffmpegStyle =
    original !== crc16(frame.subarray(0, rel + 34)) && ffmpegCrc(frame) === original;
  const family = ascii(frame, rel, rel + 4);
  frame.fill(0, rel, rel + 9);
  if (['LAME', 'Lavc', 'Lavf'].includes(family)) frame.write(family, rel, 'latin1');
  frame.fill(0, rel + 36);
  frame.writeUInt16BE(
    ffmpegStyle ? ffmpegCrc(frame) : crc16(frame.subarray(0, rel + 34)),
    rel + 34,
  );
  return { frame, cut: true };

  function ffmpegCrc(fr: Buffer): number {
    const copy = Buffer.from(fr.subarray(0, Math.max(190, rel + 36)));
    copy.writeUInt16BE(0, rel + 34);
    return crc16(copy.subarray(0, 190));
  }
}

/** CRC-16/ARC (polynomial 0x8005 reflected, initial 0), as the LAME header uses. */
export function crc16(data: Buffer): number {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}
