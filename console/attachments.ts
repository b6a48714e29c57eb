import { createReadStream, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { pipeline, Transform } from 'node:stream';
import {
  attachmentKey,
  createEncryptStream,
  encryptedFileSize,
  sha256Stream,
  type Bytes,
  type SubmissionAttachment,
} from '../crypto';
import { FORMAT_MIME } from '../core/media-types';
import { ConsoleError } from './errors';
import { byteProgress } from './render/byte-progress';
import { tusUpload } from './tus-upload';

// An attachment leaves this machine as ciphertext under attachmentKey(K, subkeyId), K being the
// submission's content key; its name, type, size and plaintext SHA-256 travel only inside the
// encrypted manifest. The file is read once: hashed and encrypted as it streams to the server.

/** A hint for the reviewer; the worker routes by the bytes, never by this. */
export const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  ...FORMAT_MIME,
  jpg: FORMAT_MIME.jpeg,
  tif: FORMAT_MIME.tiff,
  heif: 'image/heif',
  txt: FORMAT_MIME.text,
  csv: 'text/csv',
  md: 'text/markdown',
};

export function mimeFor(name: string): string {
  return MIME_BY_EXTENSION[extname(name).slice(1).toLowerCase()] ?? 'application/octet-stream';
}

/** Checked before anything is uploaded: a missing file must not cost a half-sent submission. */
export function checkAttachments(paths: readonly string[]): void {
  for (const path of paths) {
    let isFile = false;
    try {
      isFile = statSync(path).isFile();
    } catch {
      isFile = false;
    }
    if (!isFile) throw new ConsoleError('ATTACHMENT_NOT_FOUND', `${path} is not a readable file`);
  }
}

export async function uploadAttachment(
  endpoint: string,
  path: string,
  contentKey: Bytes,
  subkeyId: number,
  /** The Sori-Pow header for the upload's creation (console/pow.ts powHeaderIfAsked). */
  powHeader?: () => Promise<Record<string, string>>,
): Promise<SubmissionAttachment> {
  const name = basename(path);
  const size = statSync(path).size;
  const hash = sha256Stream();
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  const encrypted = createEncryptStream(attachmentKey(contentKey, subkeyId), size);
  // A read error (a file that changed size while read, EIO) ends the upload; it is the one told.
  let readError: Error | undefined;
  pipeline(createReadStream(path), tap, encrypted, (err) => {
    readError = err ?? undefined;
  });
  const total = encryptedFileSize(size);
  const bar = byteProgress(name, total);
  let uploadId: string;
  try {
    uploadId = await tusUpload(encrypted, {
      endpoint,
      size: total,
      powHeader,
      onProgress: (sent) => bar.update(sent),
    });
  } catch (err) {
    throw readError ?? err;
  } finally {
    bar.done();
  }
  return { uploadId, name, type: mimeFor(name), size, sha256: hash.digestHex(), subkeyId };
}
