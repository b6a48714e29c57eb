import { once } from 'node:events';
import type { BlobStore } from '../../core/blob-store';
import { createEncryptStream, fromHex, sha256Stream, type Bytes } from '../../crypto';

// Plaintext in, a complete encrypted blob out: crypto's file stream (secretstream + Padmé)
// piped into BlobStore.append, which commits a chunk at a time. Writes wait for the store
// (backpressure), so memory holds a chunk or two whatever the file's size.

export interface BlobSink {
  write(chunk: Buffer): Promise<void>;
  /** Flushes, marks the blob complete with its ciphertext SHA-256. */
  end(): Promise<void>;
  /** Stops writing; the blob stays incomplete (the caller deletes it). */
  abort(): void;
}

export function openBlobSink(store: BlobStore, id: string, key: Bytes, size: number): BlobSink {
  const enc = createEncryptStream(key, size);
  const hash = sha256Stream();
  const appended = store.append(id, 0, enc, { onChunk: (c) => hash.update(c) });
  // A failed store stops the encryptor; the next write or end() rethrows the store's error.
  appended.catch(() => enc.destroy());
  return {
    async write(chunk) {
      if (!enc.write(chunk)) await Promise.race([once(enc, 'drain'), appended]);
    },
    async end() {
      enc.end();
      await appended;
      if (!(await store.complete(id, fromHex(hash.digestHex()))))
        throw new Error('BLOB_INCOMPLETE');
    },
    abort: () => void enc.destroy(),
  };
}

const SLICE = 1024 * 1024;

/** A whole buffer into one blob, a slice at a time. */
export async function writeBlob(
  store: BlobStore,
  id: string,
  key: Bytes,
  data: Buffer,
): Promise<void> {
  const sink = openBlobSink(store, id, key, data.length);
  for (let at = 0; at < data.length; at += SLICE) await sink.write(data.subarray(at, at + SLICE));
  await sink.end();
}

/** SHA-256 of a large buffer without copying it whole into the WASM heap. */
export function sha256HexOf(data: Buffer): string {
  const hash = sha256Stream();
  for (let at = 0; at < data.length; at += SLICE) hash.update(data.subarray(at, at + SLICE));
  return hash.digestHex();
}
