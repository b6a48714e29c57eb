// Ciphertext received but not yet decrypted, for the file readers: a list, so byte-at-a-time
// writers cost no O(n^2) copies. Also the start both file versions share (version, header).
import type { Bytes } from './encoding';
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

  /**
   * Removes and returns the first n bytes (n <= length). A view when one part holds them all
   * (the usual case: stores hand over chunks of many frames); otherwise only those n bytes
   * are copied, never the rest of the part they end in.
   */
  take(n: number): Bytes {
    const head = this.parts[0];
    if (head !== undefined && head.length >= n) {
      if (head.length === n) this.parts.shift();
      else this.parts[0] = head.subarray(n);
      this.size -= n;
      return head.subarray(0, n);
    }
    const out = new Uint8Array(n);
    let o = 0;
    let used = 0; // parts wholly taken: removed once, so many tiny parts cost no O(n^2) shifts
    while (o < n) {
      const part = this.parts[used] as Bytes;
      const k = Math.min(part.length, n - o);
      out.set(k === part.length ? part : part.subarray(0, k), o);
      o += k;
      if (k < part.length) this.parts[used] = part.subarray(k);
      else used += 1;
    }
    this.parts.splice(0, used);
    this.size -= n;
    return out;
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
