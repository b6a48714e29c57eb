import { pipeline } from 'node:stream';
import type { Pool } from 'pg';
import type { BlobStore } from '../../core/blob-store';
import { findAttachmentUpload } from '../../core/repositories/record-file.repository';
import {
  attachmentKey,
  createDecryptStream,
  encryptedFileSize,
  encryptedFileSizeV2,
  isCryptoError,
  sha256Stream,
  type Bytes,
} from '../../crypto';
import type { Manifest } from '../manifest.schema';
import type { BlobSink } from './blob-sink';

// From a claimed upload to the attachment's plaintext: its checks, the decryption (file format
// v1 or v2), and the size and hash the manifest promised. A failure here is final.

export type Attachment = NonNullable<Manifest['attachments']>[number];

export type AttachmentErrorCode = 'ATTACHMENT_INCOMPLETE' | 'ATTACHMENT_TAMPERED';

export class AttachmentError extends Error {
  override readonly name = 'AttachmentError';
  constructor(readonly code: AttachmentErrorCode) {
    super(code);
    this.stack = `AttachmentError: ${code}`;
  }
}

const expectedLengths = (size: number): number[] => {
  try {
    return [encryptedFileSize(size), encryptedFileSizeV2(size)];
  } catch {
    return []; // a size no client could have encrypted
  }
};

export async function checkUpload(db: Pool, submissionId: string, a: Attachment): Promise<void> {
  const upload = await findAttachmentUpload(db, a.uploadId);
  const ok =
    upload !== null &&
    upload.kind === 'upload' &&
    upload.complete &&
    upload.submissionId === submissionId &&
    expectedLengths(a.size).includes(upload.length);
  if (!ok) throw new AttachmentError('ATTACHMENT_INCOMPLETE');
}

/** Decrypted chunks; tampering, truncation or a wrong key → ATTACHMENT_TAMPERED. */
async function* decrypted(store: BlobStore, a: Attachment, contentKey: Bytes) {
  const source = store.read(a.uploadId);
  const plain = createDecryptStream(attachmentKey(contentKey, a.subkeyId));
  // pipeline destroys the decryptor with a store error too, so the loop below sees it.
  pipeline(source, plain, () => undefined);
  try {
    for await (const chunk of plain) yield chunk as Buffer;
  } catch (err) {
    if (isCryptoError(err)) throw new AttachmentError('ATTACHMENT_TAMPERED');
    throw err; // the store's (a blob deleted meanwhile): worth a retry
  } finally {
    source.destroy();
    plain.destroy();
  }
}

/** The whole plaintext in memory (at most SANITISE_MAX_BYTES), checked against the manifest. */
export async function readPlaintext(
  store: BlobStore,
  a: Attachment,
  contentKey: Bytes,
): Promise<Buffer> {
  const out = Buffer.alloc(a.size);
  const hash = sha256Stream();
  let at = 0;
  try {
    for await (const chunk of decrypted(store, a, contentKey)) {
      if (at + chunk.length > a.size) throw new AttachmentError('ATTACHMENT_TAMPERED');
      chunk.copy(out, at);
      hash.update(chunk);
      at += chunk.length;
    }
    if (at !== a.size || hash.digestHex() !== a.sha256)
      throw new AttachmentError('ATTACHMENT_TAMPERED');
    return out;
  } catch (err) {
    out.fill(0);
    throw err;
  }
}

/** Too large to hold: decrypted straight into each sink, checked once the end is seen. */
export async function streamPlaintext(
  store: BlobStore,
  a: Attachment,
  contentKey: Bytes,
  sinks: readonly BlobSink[],
): Promise<void> {
  const hash = sha256Stream();
  let total = 0;
  try {
    for await (const chunk of decrypted(store, a, contentKey)) {
      total += chunk.length;
      if (total > a.size) throw new AttachmentError('ATTACHMENT_TAMPERED');
      hash.update(chunk);
      for (const sink of sinks) await sink.write(chunk);
    }
    // Before the sinks end: an encryptor told another size would fail with a crypto error.
    if (total !== a.size || hash.digestHex() !== a.sha256)
      throw new AttachmentError('ATTACHMENT_TAMPERED');
  } catch (err) {
    for (const sink of sinks) sink.abort();
    throw err;
  }
  for (const sink of sinks) await sink.end();
}

/**
 * One more forward pass over a plaintext already checked by streamPlaintext: decrypted again
 * from the start (secretstream is sequential; plaintext is never kept on a disk to seek in).
 * The ciphertext is authenticated chunk by chunk and a complete blob does not change, so the
 * length is checked again, not the hash. Stopping early (a break) ends the decryption.
 */
export async function* plaintextPass(
  store: BlobStore,
  a: Attachment,
  contentKey: Bytes,
): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of decrypted(store, a, contentKey)) {
    total += chunk.length;
    if (total > a.size) throw new AttachmentError('ATTACHMENT_TAMPERED');
    yield chunk;
  }
  if (total !== a.size) throw new AttachmentError('ATTACHMENT_TAMPERED');
}

/** The first `length(first chunk)` bytes of the plaintext (or all of it, if shorter). */
export async function readHead(
  store: BlobStore,
  a: Attachment,
  contentKey: Bytes,
  length: (first: Buffer) => number,
): Promise<Buffer> {
  const parts: Buffer[] = [];
  let have = 0;
  let want = Infinity;
  for await (const chunk of decrypted(store, a, contentKey)) {
    parts.push(chunk);
    have += chunk.length;
    if (want === Infinity) want = length(chunk);
    if (have >= want) break;
  }
  return Buffer.concat(parts).subarray(0, Math.min(have, want));
}
