import type { Readable } from 'node:stream';
import type { Pool } from 'pg';
import type { BlobStore } from '../../../core/blob-store';
import { withTransaction } from '../../../core/db';
import { AppError, E } from '../../../core/errors';
import {
  findOriginalKeyFor,
  findRecordFileFor,
  insertFileAudit,
} from '../../../core/repositories/review-file.repository';
import type { Caller } from '../auth/auth.service';

// Record files leave as the ciphertext they are stored as; the console decrypts them with a
// sub-key of the record key (clean files) or with H, a key sealed to admins only (held-back
// originals, which may still carry what identifies the source).

export const fileNotFound = () => new AppError(E.FILE_NOT_FOUND);

export interface FileRelease {
  length: number;
  /** H sealed to the caller: only for a held-back original. */
  wrappedKey: Buffer | null;
  open(): Readable;
}

export function createFilesService(deps: { pool: Pool; store: Pick<BlobStore, 'read'> }) {
  const { pool, store } = deps;

  /**
   * Decides and audits one fetch. Not holding the record, a file of another record and an
   * unknown id answer alike. An original needs an admin with H sealed to them; a reviewer who
   * can read the record (and so sees the original listed) is told why it is refused.
   */
  async function release(caller: Caller, recordId: string, fileId: string): Promise<FileRelease> {
    return withTransaction(pool, async (tx) => {
      const file = await findRecordFileFor(tx, recordId, fileId, caller.reviewerId);
      if (!file) throw fileNotFound();
      let wrappedKey: Buffer | null = null;
      if (file.kind === 'original') {
        if (caller.role !== 'admin')
          throw new AppError(E.ADMIN_REQUIRED, 'Held-back originals are released to admins only');
        wrappedKey = await findOriginalKeyFor(tx, file.id, caller.reviewerId);
        if (!wrappedKey) throw fileNotFound();
      }
      const action = file.kind === 'original' ? 'original.release' : 'file.read';
      await insertFileAudit(tx, { reviewerId: caller.reviewerId, action, recordId });
      return { length: file.length, wrappedKey, open: () => store.read(file.id) };
    });
  }

  return { release };
}

export type FilesService = ReturnType<typeof createFilesService>;
