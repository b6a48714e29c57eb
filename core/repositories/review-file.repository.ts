import type { Queryable } from '../db';

// Files of a record as reviewers fetch them. A blob belongs to a record through blobs.record_id
// (set when the worker stores the record); every lookup is scoped to the caller's record key,
// so a reviewer the record was never sealed to cannot tell a file id from a random one.

export type RecordFileKind = 'record-file' | 'original';

export interface RecordFileRow {
  id: string;
  kind: RecordFileKind;
  /** Ciphertext bytes stored (the blob is complete). */
  length: number;
}

/** A complete record file or original of this record, if the caller holds the record key. */
export async function findRecordFileFor(
  db: Queryable,
  recordId: string,
  fileId: string,
  reviewerId: string,
): Promise<RecordFileRow | null> {
  const { rows } = await db.query<{ id: string; kind: RecordFileKind; length: string }>(
    `SELECT b.id, b.kind, b.length
       FROM records r
       JOIN record_keys k ON k.record_id = r.id AND k.reviewer_id = $3
       JOIN blobs b ON b.record_id = r.id
      WHERE r.id = $1 AND b.id = $2 AND b.complete
        AND b.kind IN ('record-file', 'original')`,
    [recordId, fileId, reviewerId],
  );
  const r = rows[0];
  return r ? { id: r.id, kind: r.kind, length: Number(r.length) } : null;
}

/** The original's key H sealed to this reviewer (record_file_keys), or null. */
export async function findOriginalKeyFor(
  db: Queryable,
  fileId: string,
  reviewerId: string,
): Promise<Buffer | null> {
  const { rows } = await db.query<{ wrapped_key: Buffer }>(
    `SELECT wrapped_key FROM record_file_keys WHERE file_id = $1 AND reviewer_id = $2`,
    [fileId, reviewerId],
  );
  return rows[0]?.wrapped_key ?? null;
}

export type FileAuditAction = 'file.read' | 'original.release';

/** Written in the transaction that decided the fetch, before any byte leaves. */
export async function insertFileAudit(
  tx: Queryable,
  a: { reviewerId: string; action: FileAuditAction; recordId: string },
): Promise<void> {
  await tx.query(`INSERT INTO audit_log (reviewer_id, action, record_id) VALUES ($1, $2, $3)`, [
    a.reviewerId,
    a.action,
    a.recordId,
  ]);
}
