import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  createDecryptStream,
  fromBase64,
  isCryptoError,
  openFileKey,
  sha256Stream,
  type ReviewerKeys,
} from '../crypto';
import { buildUrl, toApiError } from './api-client';
import { ConsoleError } from './errors';
import { recordPath } from './records';

// A record's files, fetched as ciphertext and decrypted on this machine as they stream to disk
// (0600, never held whole). Written under a .partial name and renamed only once the stream
// authenticated to its end and the SHA-256 matches the record body: a file that fails is gone.

export const WRAPPED_KEY_HEADER = 'sori-wrapped-key';

export interface FetchedFile {
  body: Readable;
  /** Present for a held-back original: its key H sealed to the caller (an admin). */
  wrappedKey: string | null;
}

export async function fetchRecordFile(
  server: string,
  token: string,
  recordId: string,
  fileId: string,
): Promise<FetchedFile> {
  const url = buildUrl(server, `${recordPath(recordId)}/files/${encodeURIComponent(fileId)}`);
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  } catch {
    throw new ConsoleError('NETWORK_ERROR', `Cannot reach ${new URL(url).origin}`);
  }
  if (!res.ok || !res.body) throw await toApiError(res);
  return {
    body: Readable.fromWeb(res.body as import('node:stream/web').ReadableStream),
    wrappedKey: res.headers.get(WRAPPED_KEY_HEADER),
  };
}

/** H of a held-back original, opened with the admin's box key. */
export function openOriginalKey(wrapped: string | null, keys: ReviewerKeys): Uint8Array {
  if (!wrapped)
    throw new ConsoleError('ORIGINAL_KEY_MISSING', 'The server sent the original without its key');
  try {
    return openFileKey(fromBase64(wrapped), keys.box);
  } catch (err) {
    if (!isCryptoError(err)) throw err;
    throw new ConsoleError(
      'ORIGINAL_KEY_UNREADABLE',
      `The original's key is not sealed to this key file (${err.code})`,
    );
  }
}

/** Decrypts into `path` (mode 0600, must not exist); resolves to the plaintext size and hash. */
export async function saveDecrypted(
  file: FetchedFile,
  key: Uint8Array,
  path: string,
  expectedSha256: string,
  label: string,
): Promise<{ bytes: number; sha256: string }> {
  const hash = sha256Stream();
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  const partial = `${path}.partial`;
  try {
    await pipeline(
      file.body,
      createDecryptStream(key),
      tap,
      createWriteStream(partial, { mode: 0o600, flags: 'wx' }),
    );
  } catch (err) {
    rmSync(partial, { force: true });
    if (!isCryptoError(err)) throw err;
    throw new ConsoleError('FILE_DECRYPT_FAILED', `${label} does not decrypt (${err.code})`);
  }
  const sha256 = hash.digestHex();
  if (sha256 !== expectedSha256) {
    rmSync(partial, { force: true });
    throw new ConsoleError(
      'FILE_HASH_MISMATCH',
      `${label} does not match the SHA-256 in its record`,
    );
  }
  renameSync(partial, path);
  return { bytes, sha256 };
}

/** Decrypts into memory (the desk shows files in place, never writing them out); checks the hash. */
export async function decryptToMemory(
  file: FetchedFile,
  key: Uint8Array,
  expectedSha256: string,
  label: string,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const hash = sha256Stream();
  try {
    const plain = file.body.pipe(createDecryptStream(key));
    file.body.on('error', (e) => plain.destroy(e));
    for await (const chunk of plain as AsyncIterable<Buffer>) {
      hash.update(chunk);
      chunks.push(chunk);
    }
  } catch (err) {
    if (!isCryptoError(err)) throw err;
    throw new ConsoleError('FILE_DECRYPT_FAILED', `${label} does not decrypt (${err.code})`);
  }
  if (hash.digestHex() !== expectedSha256) {
    chunks.forEach((c) => c.fill(0));
    throw new ConsoleError(
      'FILE_HASH_MISMATCH',
      `${label} does not match the SHA-256 in its record`,
    );
  }
  return Buffer.concat(chunks);
}
