import { children, readBoxes, readUint, type Box } from './boxes';
import { Refused } from '../remux';

// An MP4-family file's length and tracks, read from its moov (the movie header and each track's
// media header), as ffprobe would report them. Throws Refused.

export function movieLength(file: Buffer): { seconds: number; tracks: number } {
  const moov = readBoxes(file, 0, file.length).find((t) => t.type === 'moov');
  if (!moov) throw new Refused('no movie box');
  const inner = children(file, moov);
  const mvhd = inner.find((c) => c.type === 'mvhd');
  if (!mvhd) throw new Refused('no mvhd');
  let seconds = secondsIn(file, mvhd);
  const traks = inner.filter((c) => c.type === 'trak');
  for (const trak of traks) {
    const mdia = children(file, trak).find((c) => c.type === 'mdia');
    const mdhd = mdia && children(file, mdia).find((c) => c.type === 'mdhd');
    if (!mdhd) throw new Refused('no mdhd');
    seconds = Math.max(seconds, secondsIn(file, mdhd));
  }
  return { seconds, tracks: traks.length };
}

/** A movie or media header's duration over its time scale (same layout for mvhd and mdhd). */
function secondsIn(b: Buffer, header: Box): number {
  const wide = b[header.body] === 1;
  const scaleAt = header.body + (wide ? 20 : 12);
  if (scaleAt + (wide ? 12 : 8) > header.end) throw new Refused(`${header.type} too short`);
  const scale = b.readUInt32BE(scaleAt);
  if (scale === 0) throw new Refused(`${header.type} time scale`);
  return readUint(b, scaleAt + 4, wide) / scale;
}
