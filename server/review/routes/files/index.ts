import type { Router } from 'express';
import type { Pool } from 'pg';
import { createBlobStore, type BlobStoreConfig } from '../../../../core/blob-store';
import { createFilesService } from '../../services/files.service';
import { filesRouter } from './files.route';

export { WRAPPED_KEY_HEADER } from './files.route';

// Reads only: the chunk size matters to appends, never to read().
const READ_ONLY_CHUNK_BYTES = 1024 * 1024;

/** The record-file routes over the configured blob store (BLOB_STORE). */
export function createFilesRouter(deps: { pool: Pool; config?: BlobStoreConfig }): Router {
  const store = createBlobStore(deps.pool, deps.config ?? {}, {
    chunkBytes: READ_ONLY_CHUNK_BYTES,
  });
  return filesRouter({ files: createFilesService({ pool: deps.pool, store }) });
}
