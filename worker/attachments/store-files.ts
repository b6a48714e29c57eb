import type { Tx } from '../../core/db';
import {
  deleteUnlinkedFiles,
  insertCustodianKeys,
  insertFileKeys,
  linkRecordFiles,
  type AdminKey,
} from '../../core/repositories/record-file.repository';
import { sealFileKey } from '../../crypto';
import { JobFailure } from '../job-errors';
import type { FilesToLink } from './file-writer';

// The files' part of a record's transaction: link the blobs the attempt wrote, seal each
// held-back original's key to the admins read under lock (a revoked one is left out), keep
// the custodian's sealed keys, drop orphans of earlier attempts. (The uploads' ciphertext goes
// in the records' own statement, storeRecordsAndComplete.)

export interface RecordFilesToStore {
  recordId: string;
  submissionId: string;
  files: FilesToLink | null;
}

export async function storeRecordFiles(
  tx: Tx,
  created: readonly RecordFilesToStore[],
  admins: readonly AdminKey[],
): Promise<void> {
  for (const { recordId, submissionId, files } of created) {
    if (!files) continue;
    const linked = await linkRecordFiles(tx, { recordId, submissionId, fileIds: files.fileIds });
    // A blob gone or unfinished (deleted by a racing attempt): roll back, the job retries.
    if (linked !== files.fileIds.length) throw new JobFailure('RECORD_FILES_MISSING');
    if (files.heldBack.length > 0 && admins.length === 0) throw new JobFailure('NO_ADMINS');
    await insertFileKeys(
      tx,
      files.heldBack.flatMap((h) =>
        admins.map((a) => ({
          fileId: h.fileId,
          reviewerId: a.id,
          wrappedKey: sealFileKey(h.key, a.boxPublicKey),
        })),
      ),
    );
    await insertCustodianKeys(tx, files.custodian);
    await deleteUnlinkedFiles(tx, submissionId);
  }
}
