import { readBoxes, type Box } from '../../../worker/sanitise/media/isobmff/boxes';

// Planting a box deep inside an MP4-family file, for tests of what the cleaners leave and
// what their verification catches.

/** A QuickTime user-data box holding an artist (©ART), as cameras and taggers write it. */
export function udtaWithArtist(artist: string): Buffer {
  const text = Buffer.from(artist, 'latin1');
  const item = Buffer.concat([Buffer.alloc(12), text]);
  item.writeUInt32BE(item.length, 0);
  item.write('\xa9ART', 4, 'latin1');
  item.writeUInt16BE(text.length, 8);
  const udta = Buffer.concat([Buffer.alloc(8), item]);
  udta.writeUInt32BE(udta.length, 0);
  udta.write('udta', 4, 'latin1');
  return udta;
}

/** Path to the first track's first sample description (the stsd's entries follow 8 bytes). */
export const SAMPLE_ENTRY = ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd', '*'];

/**
 * `extra` inserted at the end of the box reached by `path` ('*': the first entry of a stsd);
 * every box on the way grows by its length. Chunk offsets are not moved: plant into a file
 * whose moov comes after its media data, or check only the structure.
 */
export function insertAtEnd(file: Buffer, path: readonly string[], extra: Buffer): Buffer {
  let boxes = readBoxes(file, 0, file.length);
  const chain: Box[] = [];
  for (const type of path) {
    const found = type === '*' ? boxes[0] : boxes.find((x) => x.type === type);
    if (!found) throw new Error(`no ${type}`);
    chain.push(found);
    boxes = readBoxes(file, found.body + (found.type === 'stsd' ? 8 : 0), found.end);
  }
  const at = chain[chain.length - 1]!.end;
  const out = Buffer.concat([file.subarray(0, at), extra, file.subarray(at)]);
  for (const b of chain) out.writeUInt32BE(out.readUInt32BE(b.start) + extra.length, b.start);
  return out;
}

/**
 * A copy of `file` in which the H.264 sample at `start` (`size` bytes, 4-byte NAL lengths) is
 * rewritten in place, same size: `unit` (one NAL unit, header included) and a filler unit for
 * the rest.
 */
export function plantUnit(file: Buffer, start: number, size: number, unit: Buffer): Buffer {
  const filler = size - 4 - unit.length - 4;
  if (filler < 2) throw new Error('sample too small');
  const fill = Buffer.alloc(filler, 0xff);
  fill[0] = 12; // filler data NAL unit: 0xFF bytes, then the trailing bits
  fill[filler - 1] = 0x80;
  const out = Buffer.from(file);
  out.writeUInt32BE(unit.length, start);
  unit.copy(out, start + 4);
  out.writeUInt32BE(filler, start + 4 + unit.length);
  fill.copy(out, start + 8 + unit.length);
  return out;
}

/**
 * `plantUnit` with an SEI unit as a camera begins a sample: one user_data_unregistered message
 * (`uuid`, then `text`).
 */
export function plantSei(file: Buffer, start: number, size: number, uuid: Buffer, text: string) {
  const body = Buffer.concat([uuid, Buffer.from(text, 'latin1')]);
  if (body.length >= 255 || uuid.length !== 16) throw new Error('payload too long for this helper');
  const sei = Buffer.concat([Buffer.from([6, 5, body.length]), body, Buffer.from([0x80])]);
  return plantUnit(file, start, size, sei);
}
