/**
 * Ciphertext received but not yet decrypted, for the file readers. A list, so byte-at-a-time
 * writers do not cost O(n^2) copies; it only ever holds one write plus less than a frame.
 * Also the start both file versions share: the version byte and the secretstream header.
 */
import { concatBytes, type Bytes } from './encoding';
import { CryptoError } from './errors';
import { STREAM_HEADER_BYTES, streamInitPull, type StreamState } from './sodium';

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

/**
 * Opens the pull stream once the version byte and header are queued (consuming them), or
 * returns undefined to wait for more. Refuses another version as soon as its byte is seen.
 */
export function pullFileHeader(
  queue: ByteQueue,
  version: number,
  key32: Bytes,
  atEnd: boolean,
): StreamState | undefined {
  const first = queue.first();
  if (first !== undefined && first !== version)
    throw new CryptoError('CRYPTO_UNKNOWN_VERSION', `file version ${first}`);
  if (queue.length < 1 + STREAM_HEADER_BYTES) {
    if (atEnd) throw new CryptoError('CRYPTO_TRUNCATED', 'file shorter than its header');
    return undefined;
  }
  return streamInitPull(queue.take(1 + STREAM_HEADER_BYTES).subarray(1), key32);
}
