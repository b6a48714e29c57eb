// Every XMP item left in a HEIF after exiftool (an iPhone HDR gain map's own, which `-all=`
// leaves) blanked in place to an empty packet: no offset moves, and no decoder reads an empty
// metadata item. Why the gain map itself stays: FORMATS.md, "HEIF gain maps".

import { heifBoxes, type HeifBox } from './heif-boxes';

/** Item ids of `mime` items whose content type is XMP (iinf → infe version 2 or 3). */
function xmpItems(b: Buffer, iinf: HeifBox): Set<number> {
  const ids = new Set<number>();
  const version = b[iinf.start + 8]!;
  const first = iinf.start + 12 + (version === 0 ? 2 : 4);
  for (const infe of heifBoxes(b, first, iinf.end)) {
    const v = b[infe.start + 8]!;
    if (infe.type !== 'infe' || v < 2) continue;
    const idSize = v === 2 ? 2 : 4;
    const id = idSize === 2 ? b.readUInt16BE(infe.start + 12) : b.readUInt32BE(infe.start + 12);
    const typeAt = infe.start + 12 + idSize + 2;
    if (b.toString('latin1', typeAt, typeAt + 4) !== 'mime') continue;
    const strings = b.toString('latin1', typeAt + 4, infe.end).split('\0');
    if (strings[1] === 'application/rdf+xml') ids.add(id);
  }
  return ids;
}

const readN = (b: Buffer, at: number, n: number): number =>
  n === 0 ? 0 : n === 4 ? b.readUInt32BE(at) : n === 8 ? Number(b.readBigUInt64BE(at)) : -1;

/** [start, end) of each extent of the given items (file offsets, or inside idat). */
function extentsOf(
  b: Buffer,
  iloc: HeifBox,
  idat: HeifBox | undefined,
  items: Set<number>,
): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const version = b[iloc.start + 8]!;
  const offsetSize = b[iloc.start + 12]! >> 4;
  const lengthSize = b[iloc.start + 12]! & 0xf;
  const baseSize = b[iloc.start + 13]! >> 4;
  const indexSize = version >= 1 ? b[iloc.start + 13]! & 0xf : 0;
  let at = iloc.start + 14;
  const count = version < 2 ? b.readUInt16BE(at) : b.readUInt32BE(at);
  at += version < 2 ? 2 : 4;
  for (let i = 0; i < count && at < iloc.end; i += 1) {
    const id = version < 2 ? b.readUInt16BE(at) : b.readUInt32BE(at);
    at += version < 2 ? 2 : 4;
    const method = version >= 1 ? b.readUInt16BE(at) & 0xf : 0;
    if (version >= 1) at += 2;
    at += 2; // data_reference_index
    const base = readN(b, at, baseSize);
    at += baseSize;
    const extents = b.readUInt16BE(at);
    at += 2;
    for (let e = 0; e < extents; e += 1) {
      at += indexSize;
      const offset = readN(b, at, offsetSize);
      const length = readN(b, at + offsetSize, lengthSize);
      at += offsetSize + lengthSize;
      if (!items.has(id) || offset < 0 || length <= 0) continue;
      const origin = method === 1 && idat ? idat.start + 8 : 0;
      if (method === 0 || (method === 1 && idat))
        out.push([origin + base + offset, origin + base + offset + length]);
    }
  }
  return out;
}

const EMPTY_XMP = Buffer.from('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>', 'latin1');

/** Blanks every XMP item's bytes (an empty packet and spaces); returns the copy and how many items were blanked. */
export function blankXmpItems(heif: Buffer): { data: Buffer; blanked: number } {
  const out = Buffer.from(heif);
  let blanked = 0;
  for (const meta of heifBoxes(out, 0, out.length).filter((x) => x.type === 'meta')) {
    const inMeta = heifBoxes(out, meta.start + 12, meta.end);
    const iinf = inMeta.find((x) => x.type === 'iinf');
    const iloc = inMeta.find((x) => x.type === 'iloc');
    if (!iinf || !iloc) continue;
    const items = xmpItems(out, iinf);
    if (items.size === 0) continue;
    const idat = inMeta.find((x) => x.type === 'idat');
    for (const [start, end] of extentsOf(out, iloc, idat, items)) {
      if (start < 0 || end > out.length) throw new Error('HEIF_XMP_EXTENT');
      // An empty XMP packet, padded with spaces (XMP's own padding): a reader finds no tags
      // and no malformed packet. Too short for it: spaces alone.
      out.fill(0x20, start, end);
      if (end - start >= EMPTY_XMP.length) EMPTY_XMP.copy(out, start);
    }
    blanked += items.size;
  }
  return { data: out, blanked };
}
