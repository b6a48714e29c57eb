import type { Pool } from 'pg';
import { deleteExpiredUploads, type BlobStore } from '../../core/blob-store';
import type { Logger } from '../../core/logger';

/**
 * Deletes expired uploads that no submission claimed, at most once per everyMs however
 * often it is called (the sweeper calls it on every pass). Resolves to how many it deleted.
 * With BLOB_STORE=s3 every pass also removes the objects of blobs deleted since the last one
 * (by expiry here, or by any other path: termination, processed uploads, record retention).
 */
export function createUploadCleanup(deps: {
  pool: Pool;
  log: Logger;
  store: Pick<BlobStore, 'sweep'>;
  everyMs?: number;
}): () => Promise<number> {
  const everyMs = deps.everyMs ?? 60 * 60 * 1000;
  const { store } = deps;
  let lastRun = -Infinity;
  return async () => {
    let count = 0;
    if (Date.now() - lastRun >= everyMs) {
      count = await deleteExpiredUploads(deps.pool);
      lastRun = Date.now(); // only after success: Postgres down means the next pass tries again
      if (count > 0) deps.log.info('uploads.expired', { count });
    }
    const swept = (await store.sweep?.()) ?? 0;
    if (swept > 0) deps.log.info('blobs.objects_removed', { count: swept });
    return count;
  };
}
