/**
 * Ciphertext received but not yet decrypted, for the file readers. A list, so byte-at-a-time
 * writers do not cost O(n^2) copies; it only ever holds one write plus less than a frame.
 */
import { concatBytes, type Bytes } from './encoding';

export class ByteQueue {
  private parts: Bytes[] = [];
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(chunk: Bytes): void {
    if (chunk.length === 0) return;
    this.parts.push(chunk);
    this.size += chunk.length;
  }

  /** The first byte, if any. */
  first(): number | undefined {
    return this.parts[0]?.[0];
  }

  /** Removes and returns the first n bytes (n <= length). */
  take(n: number): Bytes {
    const all = this.parts.length === 1 ? (this.parts[0] as Bytes) : concatBytes(...this.parts);
    this.parts = n < all.length ? [all.subarray(n)] : [];
    this.size = all.length - n;
    return all.subarray(0, n);
  }
}
