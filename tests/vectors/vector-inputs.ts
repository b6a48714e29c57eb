/** Deterministic inputs shared by the vector generator and the vector test. */
import * as c from '../../crypto';

/** 32 bytes: SHA-256("sori-vector-seed-" || name). */
export function seedFor(name: string): Uint8Array {
  return c.sha256('sori-vector-seed-' + name);
}

/** File plaintext that any implementation can rebuild: byte i = (i * 31 + 7) mod 256. */
export function filePlaintext(size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + 7) & 0xff;
  return b;
}

export function collect(chunks: string[]): string {
  const h = c.sha256Stream();
  for (const ch of chunks) h.update(c.utf8(ch));
  return h.digestHex();
}
