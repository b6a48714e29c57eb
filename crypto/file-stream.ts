// Node-only adapters: the file formats as streams, so 20 MB (or 2 GB) attachments move through
// in 64 KiB chunks without ever being held whole.
import { Duplex, Transform, type TransformCallback } from 'stream';
import type { Bytes } from './encoding';
import { CryptoError } from './errors';
import { FileDecryptor, FileEncryptor } from './file-cipher';
import { FileEncryptorV2 } from './file-cipher-v2';

function asError(e: unknown): Error {
  return e instanceof Error ? e : new CryptoError('CRYPTO_BAD_FORMAT', String(e));
}

function adapt(cipher: { write(c: Bytes): Bytes[]; end(): Bytes[] }, first?: Bytes): Transform {
  let started = first === undefined;
  const emitFirst = (t: Transform): void => {
    if (!started && first) t.push(first);
    started = true;
  };
  return new Transform({
    transform(chunk: Bytes, _enc: BufferEncoding, cb: TransformCallback): void {
      try {
        emitFirst(this);
        for (const out of cipher.write(chunk)) this.push(out);
        cb();
      } catch (e) {
        cb(asError(e));
      }
    },
    flush(cb: TransformCallback): void {
      try {
        emitFirst(this);
        for (const out of cipher.end()) this.push(out);
        cb();
      } catch (e) {
        cb(asError(e));
      }
    },
  });
}

/** Throws synchronously on a bad key or size; the stream errors if the input length differs from plaintextSize. */
export function createEncryptStream(key32: Bytes, plaintextSize: number): Transform {
  const enc = new FileEncryptor(key32, plaintextSize);
  return adapt(enc, enc.header);
}

/**
 * File format v2 for a plaintext of unknown length, as a pull-driven generator: every frame,
 * the padding ones included, is made only when the consumer asks for it, so memory stays at
 * about one chunk whatever the size. Throws synchronously on a bad key.
 */
export function encryptFileV2(
  key32: Bytes,
  source: AsyncIterable<Bytes>,
): AsyncGenerator<Bytes, void, undefined> {
  const enc = new FileEncryptorV2(key32);
  return (async function* () {
    try {
      yield enc.header;
      for await (const chunk of source) yield* enc.write(chunk);
      yield* enc.finish();
    } finally {
      enc.wipe();
    }
  })();
}

/** encryptFileV2 as a Duplex (write plaintext, read ciphertext), with backpressure both ways. */
export function createEncryptStreamV2(key32: Bytes): Duplex {
  new FileEncryptorV2(key32); // a bad key throws here, not on the first read
  return Duplex.from((source: AsyncIterable<Bytes>) => encryptFileV2(key32, source));
}

/**
 * Emits exactly the original bytes of a v1 or v2 file (by its version byte); errors with a
 * CryptoError on any tampering or truncation.
 */
export function createDecryptStream(key32: Bytes): Transform {
  return adapt(new FileDecryptor(key32));
}
