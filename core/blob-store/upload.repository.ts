import type { Queryable } from '../db';

// The tus view of blobs: only kind 'upload', and only while no submission has claimed it —
// once claimed, an upload id no longer reads, writes or deletes anything.
// expires_on is the last day an unclaimed upload is kept (days, never times).

export interface UploadRow {
  id: string;
  offset: number;
  length: number;
  complete: boolean;
  expired: boolean;
  /** The first day it is gone: YYYY-MM-DD. */
  goneOn: string | null;
}

export async function findUpload(db: Queryable, id: string): Promise<UploadRow | null> {
  const { rows } = await db.query<{
    id: string;
    length: string;
    declared_length: string;
    complete: boolean;
    expired: boolean;
    gone_on: string | null;
  }>(
    `SELECT id, length, declared_length, complete,
            coalesce(expires_on < current_date, false) AS expired,
            to_char(expires_on + 1, 'YYYY-MM-DD') AS gone_on
       FROM blobs
      WHERE id = $1 AND kind = 'upload' AND submission_id IS NULL`,
    [id],
  );
  const r = rows[0];
  return r
    ? {
        id: r.id,
        offset: Number(r.length),
        length: Number(r.declared_length),
        complete: r.complete,
        expired: r.expired,
        goneOn: r.gone_on,
      }
    : null;
}

/** Activity keeps an upload alive: its expiry moves to `days` from today. */
export async function extendUpload(db: Queryable, id: string, days: number): Promise<string> {
  const { rows } = await db.query<{ gone_on: string }>(
    `UPDATE blobs SET expires_on = current_date + $2::integer
      WHERE id = $1 AND kind = 'upload' AND submission_id IS NULL
     RETURNING to_char(expires_on + 1, 'YYYY-MM-DD') AS gone_on`,
    [id, days],
  );
  return rows[0]?.gone_on ?? '';
}

/** tus termination: only an unclaimed upload can be deleted by its id. */
export async function deleteUnclaimedUpload(db: Queryable, id: string): Promise<boolean> {
  return (await deleteUnclaimedUploads(db, [id])) === 1;
}

/**
 * Deletes those of the named uploads that no submission claimed (S3 objects follow through
 * the blob_object_gc trigger), and says how many went. Safe whether or not a claiming
 * transaction committed.
 */
export async function deleteUnclaimedUploads(
  db: Queryable,
  ids: readonly string[],
): Promise<number> {
  if (ids.length === 0) return 0;
  const { rowCount } = await db.query(
    `DELETE FROM blobs WHERE id = ANY($1::uuid[]) AND kind = 'upload' AND submission_id IS NULL`,
    [ids],
  );
  return rowCount ?? 0;
}

/**
 * Deletes expired uploads no submission claimed (incomplete or complete), a batch per
 * statement so a backlog never becomes one huge transaction. The outer WHERE is re-checked
 * under the row lock, so an upload claimed meanwhile is kept.
 */
export async function deleteExpiredUploads(db: Queryable, batchSize = 100): Promise<number> {
  let deleted = 0;
  for (;;) {
    const { rowCount } = await db.query(
      `DELETE FROM blobs
        WHERE id IN (SELECT id FROM blobs
                      WHERE kind = 'upload' AND submission_id IS NULL
                        AND expires_on < current_date
                      LIMIT $1)
          AND kind = 'upload' AND submission_id IS NULL AND expires_on < current_date`,
      [batchSize],
    );
    deleted += rowCount ?? 0;
    if ((rowCount ?? 0) < batchSize) return deleted;
  }
}

/** Bytes promised by every upload no submission has claimed yet (Upload-Length, not received). */
export async function sumUnclaimedUploadBytes(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ total: string }>(
    `SELECT coalesce(sum(coalesce(declared_length, length)), 0) AS total FROM blobs
      WHERE kind = 'upload' AND submission_id IS NULL`,
  );
  return Number(rows[0]?.total ?? 0);
}

/**
 * Total ciphertext bytes of the named complete, unclaimed (or already ours) uploads: what the
 * submission service needs to enforce MAX_SUBMISSION_UPLOAD_BYTES inside its transaction.
 */
export async function sumUploadBytes(
  db: Queryable,
  submissionId: string,
  uploadIds: readonly string[],
): Promise<number> {
  const { rows } = await db.query<{ total: string }>(
    `SELECT coalesce(sum(length), 0) AS total FROM blobs
      WHERE id = ANY($2::uuid[]) AND kind = 'upload' AND complete
        AND (submission_id IS NULL OR submission_id = $1)`,
    [submissionId, uploadIds],
  );
  return Number(rows[0]?.total ?? 0);
}
