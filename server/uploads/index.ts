import type { Router } from 'express';
import type { Pool } from 'pg';
import { createPostgresBlobStore } from '../../core/blob-store';
import type { Logger } from '../../core/logger';
import { createUploadService, type UploadConfig } from './upload.service';
import { uploadsRouter } from './uploads.route';

export { createUploadCleanup } from './upload-cleanup';
export type { UploadConfig } from './upload.service';

/** The tus endpoints over the default (Postgres) blob store. */
export function createUploadsRouter(deps: {
  pool: Pool;
  log: Logger;
  config: UploadConfig;
}): Router {
  const store = createPostgresBlobStore(deps.pool, { chunkBytes: deps.config.UPLOAD_CHUNK_BYTES });
  return uploadsRouter({ uploads: createUploadService({ ...deps, store }) });
}
