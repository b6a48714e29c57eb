/**
 * Node-only adapters: the file format of file-cipher.ts as Transform streams, so 20 MB (or 2 GB)
 * attachments move through in 64 KiB chunks without ever being held whole.
 */
import { Transform, type TransformCallback } from 'stream';
import type { Bytes } from './encoding';
import { CryptoError } from './errors';
import { FileDecryptor, FileEncryptor } from './file-cipher';

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

/** Emits exactly the original bytes; errors with a CryptoError on any tampering or truncation. */
export function createDecryptStream(key32: Bytes): Transform {
  return adapt(new FileDecryptor(key32));
}
