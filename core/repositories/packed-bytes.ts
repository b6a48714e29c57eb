// Many byte strings in one statement without hex. node-postgres sends a Buffer parameter in
// binary, but an array of Buffers (`$1::bytea[]`) as an array literal of hex strings: twice the
// bytes, built as one large string in the worker and parsed character by character by
// Postgres. Packed, they travel as one binary parameter, and SQL cuts each back out with
// `substring($blob FROM offset FOR length)`.

export interface BytesPacker {
  /** Adds `b` to the blob; returns its 1-based offset and its length, for the SQL. */
  add(b: Uint8Array): { offset: number; length: number };
  /** The blob holding everything added, in order. */
  blob(): Buffer;
}

export function bytesPacker(): BytesPacker {
  const parts: Uint8Array[] = [];
  let size = 0;
  return {
    add(b) {
      parts.push(b);
      const at = { offset: size + 1, length: b.byteLength };
      size += b.byteLength;
      return at;
    },
    blob: () => Buffer.concat(parts, size),
  };
}

/** Packs one column's values: the offsets and lengths arrays go beside the blob as int[]. */
export function packColumn(
  packer: BytesPacker,
  values: readonly Uint8Array[],
): { offsets: number[]; lengths: number[] } {
  const offsets: number[] = [];
  const lengths: number[] = [];
  for (const v of values) {
    const at = packer.add(v);
    offsets.push(at.offset);
    lengths.push(at.length);
  }
  return { offsets, lengths };
}
