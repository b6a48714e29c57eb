import type { Queryable } from '../db';

// A record's files: blobs of kind 'record-file' and 'original', written by the worker before
// the record exists and linked in its transaction; what stays unlinked is an orphan of an
// attempt that lost (core/CORE.md).

export type FileBlobKind = 'record-file' | 'original';

export interface AttachmentUpload {
  kind: string;
  length: number;
  complete: boolean;
  submissionId: string | null;
}

export async function findAttachmentUpload(
  db: Queryable,
  id: string,
): Promise<AttachmentUpload | null> {
  const { rows } = await db.query<{
    kind: string;
    length: string;
    complete: boolean;
    submission_id: string | null;
  }>(`SELECT kind, length, complete, submission_id FROM blobs WHERE id = $1`, [id]);
  const r = rows[0];
  return r
    ? {
        kind: r.kind,
        length: Number(r.length),
        complete: r.complete,
        submissionId: r.submission_id,
      }
    : null;
}

/** A new, empty, unlinked file blob of this submission; it completes once written. */
export async function insertFileBlob(
  db: Queryable,
  f: { id: string; kind: FileBlobKind; submissionId: string },
): Promise<void> {
  await db.query(`INSERT INTO blobs (id, kind, submission_id) VALUES ($1, $2, $3)`, [
    f.id,
    f.kind,
    f.submissionId,
  ]);
}

export interface AdminKey {
  id: string;
  boxPublicKey: Buffer;
}

/** Links this attempt's file blobs to the stored record; returns how many were linked. */
export async function linkRecordFiles(
  tx: Queryable,
  link: { recordId: string; submissionId: string; fileIds: readonly string[] },
): Promise<number> {
  if (link.fileIds.length === 0) return 0;
  const { rowCount } = await tx.query(
    `UPDATE blobs SET record_id = $1, expires_on = NULL
      WHERE id = ANY($3::uuid[]) AND submission_id = $2 AND record_id IS NULL AND complete
        AND kind IN ('record-file', 'original')`,
    [link.recordId, link.submissionId, link.fileIds],
  );
  return rowCount ?? 0;
}

export async function insertFileKeys(
  tx: Queryable,
  keys: ReadonlyArray<{ fileId: string; reviewerId: string; wrappedKey: Uint8Array }>,
): Promise<void> {
  if (keys.length === 0) return;
  await tx.query(
    `INSERT INTO record_file_keys (file_id, reviewer_id, wrapped_key)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bytea[])`,
    [keys.map((k) => k.fileId), keys.map((k) => k.reviewerId), keys.map((k) => buf(k.wrappedKey))],
  );
}

export async function insertCustodianKeys(
  tx: Queryable,
  keys: ReadonlyArray<{ fileId: string; custodianKeyId: string; wrappedKey: Uint8Array }>,
): Promise<void> {
  if (keys.length === 0) return;
  await tx.query(
    `INSERT INTO custodian_keys (file_id, custodian_key_id, wrapped_key)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::bytea[])`,
    [
      keys.map((k) => k.fileId),
      keys.map((k) => k.custodianKeyId),
      keys.map((k) => buf(k.wrappedKey)),
    ],
  );
}

/** File blobs of a submission no record owns: given ids only, or every one (orphans). */
export async function deleteUnlinkedFiles(
  db: Queryable,
  submissionId: string,
  ids?: readonly string[],
): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM blobs
      WHERE submission_id = $1 AND record_id IS NULL AND kind IN ('record-file', 'original')
        AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))`,
    [submissionId, ids ?? null],
  );
  return rowCount ?? 0;
}

const buf = (b: Uint8Array): Buffer =>
  Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
