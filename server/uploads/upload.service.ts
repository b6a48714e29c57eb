import type { Pool } from 'pg';
import type { Config } from '../../core/config';
import {
  BlobAppendError,
  deleteUnclaimedUpload,
  extendUpload,
  findUpload,
  sumUnclaimedUploadBytes,
  type BlobStore,
  type BlobStoreConfig,
  type UploadRow,
} from '../../core/blob-store';
import { AppError, E } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { fromHex, sha256Stream } from '../../crypto';
import { createUploadHashes } from './upload-hashes';

export type UploadConfig = Pick<
  Config,
  'MAX_UPLOAD_BYTES' | 'UPLOAD_EXPIRY_DAYS' | 'UPLOAD_CHUNK_BYTES' | 'UPLOAD_QUOTA_BYTES'
> &
  BlobStoreConfig;

export interface UploadServiceDeps {
  pool: Pool;
  store: BlobStore;
  log: Logger;
  config: UploadConfig;
}

export interface UploadStatus {
  id: string;
  offset: number;
  length: number;
  /** YYYY-MM-DD: the first day the upload is gone unless used (tus Upload-Expires). */
  goneOn: string | null;
}

const NOT_FOUND = () => new AppError(E.UPLOAD_NOT_FOUND);

function fromAppendError(err: BlobAppendError): AppError {
  switch (err.reason) {
    case 'missing':
      return NOT_FOUND();
    case 'complete':
      return new AppError(E.UPLOAD_COMPLETE);
    case 'overflow':
      return new AppError(E.UPLOAD_EXCEEDS_LENGTH);
    case 'offset':
      return new AppError(E.UPLOAD_OFFSET_MISMATCH);
  }
}

export function createUploadService(deps: UploadServiceDeps) {
  const { pool, store, config } = deps;
  const hashes = createUploadHashes();

  async function openUpload(id: string): Promise<UploadRow> {
    const upload = await findUpload(pool, id);
    if (!upload) throw NOT_FOUND();
    if (upload.expired) throw new AppError(E.UPLOAD_EXPIRED);
    return upload;
  }

  /** The ciphertext hash, incremental when this PATCH saw every byte, else read back. */
  async function finish(id: string, hasher: ReturnType<typeof sha256Stream> | null) {
    let hash = hasher;
    if (!hash) {
      hash = sha256Stream();
      for await (const chunk of store.read(id)) hash.update(chunk as Buffer);
    }
    await store.complete(id, fromHex(hash.digestHex()));
    deps.log.debug('upload.completed', { uploadId: id });
  }

  return {
    maxBytes: config.MAX_UPLOAD_BYTES,

    async create(length: number): Promise<UploadStatus> {
      // Anyone may open uploads, so what they may promise in all is bounded: a flood of
      // unclaimed 2 GiB uploads must not fill the disk that holds committed testimony.
      if ((await sumUnclaimedUploadBytes(pool)) + length > config.UPLOAD_QUOTA_BYTES) {
        throw new AppError(E.UPLOADS_FULL);
      }
      const id = await store.create('upload', length, { expiresInDays: config.UPLOAD_EXPIRY_DAYS });
      deps.log.debug('upload.created', { uploadId: id });
      const upload = await openUpload(id);
      return { id, offset: 0, length, goneOn: upload.goneOn };
    },

    async status(id: string): Promise<UploadStatus> {
      const u = await openUpload(id);
      return { id, offset: u.offset, length: u.length, goneOn: u.goneOn };
    },

    /**
     * Appends the body at offset, each chunk committed as it fills: an interrupted request
     * keeps what arrived and the source error is rethrown for the route to recognise.
     */
    async patch(
      id: string,
      offset: number,
      contentLength: number | null,
      body: AsyncIterable<Uint8Array>,
    ): Promise<UploadStatus> {
      const upload = await openUpload(id);
      if (upload.complete) throw fromAppendError(new BlobAppendError('complete', upload.offset));
      if (offset !== upload.offset) throw fromAppendError(new BlobAppendError('offset', offset));
      const remaining = upload.length - offset;
      if (contentLength !== null && contentLength > remaining) {
        throw fromAppendError(new BlobAppendError('overflow', offset));
      }
      const goneOn = await extendUpload(pool, id, config.UPLOAD_EXPIRY_DAYS);
      // The running hash covers [0, offset) and sees each chunk once it is committed, so it
      // covers [0, offset + hashed) whatever happens to this request.
      let hasher = hashes.take(id, offset);
      let hashed = 0;
      const covers = (durable: number | null): boolean => offset + hashed === durable;
      try {
        const done = await store.append(id, offset, body, {
          maxBytes: remaining,
          onChunk: hasher
            ? (c) => {
                hasher?.update(c);
                hashed += c.length;
              }
            : undefined,
        });
        const running = hasher && covers(done.offset) ? hasher : null;
        if (hasher && !running) hasher.digestHex(); // frees libsodium's state
        hasher = null; // handed on: finish() or the next PATCH owns it now
        if (done.complete) await finish(id, running);
        else if (running) hashes.keep(id, running, done.offset);
        return { id, offset: done.offset, length: upload.length, goneOn };
      } catch (err) {
        // An interrupted PATCH keeps what arrived: the next one may go on hashing from there.
        if (hasher) {
          const durable = await store.offset(id).catch(() => null);
          if (covers(durable)) hashes.keep(id, hasher, durable as number);
          else hasher.digestHex(); // frees libsodium's state
        }
        throw err instanceof BlobAppendError ? fromAppendError(err) : err;
      }
    },

    async terminate(id: string): Promise<void> {
      hashes.drop(id);
      if (!(await deleteUnclaimedUpload(pool, id))) throw NOT_FOUND();
      deps.log.debug('upload.terminated', { uploadId: id });
    },
  };
}

export type UploadService = ReturnType<typeof createUploadService>;
