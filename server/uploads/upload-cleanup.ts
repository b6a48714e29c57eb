import type { Pool } from 'pg';
import { deleteExpiredUploads } from '../../core/blob-store';
import type { Logger } from '../../core/logger';

/**
 * Deletes expired uploads that no submission claimed, at most once per everyMs however
 * often it is called (the sweeper calls it on every pass). Resolves to how many it deleted.
 */
export function createUploadCleanup(deps: {
  pool: Pool;
  log: Logger;
  everyMs?: number;
}): () => Promise<number> {
  const everyMs = deps.everyMs ?? 60 * 60 * 1000;
  let lastRun = -Infinity;
  return async () => {
    if (Date.now() - lastRun < everyMs) return 0;
    const count = await deleteExpiredUploads(deps.pool);
    lastRun = Date.now(); // only after success: Postgres down means the next pass tries again
    if (count > 0) deps.log.info('uploads.expired', { count });
    return count;
  };
}
