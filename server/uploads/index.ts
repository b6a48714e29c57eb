import type { Router } from 'express';
import type { Pool } from 'pg';
import { createBlobStore } from '../../core/blob-store';
import type { Logger } from '../../core/logger';
import type { PowService } from '../pow/pow.service';
import { createUploadService, type UploadConfig } from './upload.service';
import { uploadsRouter } from './uploads.route';

export { createUploadCleanup } from './upload-cleanup';
export type { UploadConfig } from './upload.service';

/** The tus endpoints over the configured blob store (BLOB_STORE); `pow` guards creation only. */
export function createUploadsRouter(deps: {
  pool: Pool;
  log: Logger;
  config: UploadConfig;
  pow?: PowService;
}): Router {
  const { pool, log, config, pow } = deps;
  const store = createBlobStore(pool, config, { chunkBytes: config.UPLOAD_CHUNK_BYTES });
  return uploadsRouter({ uploads: createUploadService({ pool, log, config, store }), pow });
}
