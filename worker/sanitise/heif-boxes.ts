// The child boxes of a HEIF box, read leniently for in-place blanking: a 64-bit, to-the-end or
// overrunning size ends the list (they never hold the item boxes blanked here).

export interface HeifBox {
  type: string;
  start: number;
  end: number;
}

export function heifBoxes(b: Buffer, from: number, to: number): HeifBox[] {
  const out: HeifBox[] = [];
  for (let at = from; at + 8 <= to;) {
    const size = b.readUInt32BE(at);
    if (size < 8 || at + size > to) break;
    out.push({ type: b.toString('latin1', at + 4, at + 8), start: at, end: at + size });
    at += size;
  }
  return out;
}
