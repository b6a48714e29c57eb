import type { Queryable } from '../db';

// Submissions hold ciphertext, hashes and day-level dates only: never an address, a raw
// source token or a precise time.

export type SubmissionStatus = 'received' | 'processing' | 'done' | 'failed';

export interface NewSubmission {
  id: string;
  intakeKeyId: string;
  sealedKey: Uint8Array;
  manifest: Uint8Array;
  envelopeSha256: Uint8Array;
  sourceTokenHash: Uint8Array | null;
}

export interface SubmissionState {
  id: string;
  envelopeSha256: Buffer;
  status: SubmissionStatus;
  queued: boolean;
}

export interface SubmissionSummary {
  id: string;
  status: SubmissionStatus;
  receivedOn: string; // YYYY-MM-DD
}

const buf = (b: Uint8Array | null): Buffer | null => (b ? Buffer.from(b) : null);

/** Inserts unless the id exists; false means a row with this id was already there. */
export async function insertSubmission(db: Queryable, s: NewSubmission): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO submissions
       (id, intake_key_id, sealed_key, manifest, envelope_sha256, source_token_hash, received_on)
     VALUES ($1, $2, $3, $4, $5, $6, current_date)
     ON CONFLICT (id) DO NOTHING`,
    [
      s.id,
      s.intakeKeyId,
      buf(s.sealedKey),
      buf(s.manifest),
      buf(s.envelopeSha256),
      buf(s.sourceTokenHash),
    ],
  );
  return rowCount === 1;
}

export async function findSubmissionState(
  db: Queryable,
  id: string,
): Promise<SubmissionState | null> {
  const { rows } = await db.query<{
    id: string;
    envelope_sha256: Buffer;
    status: SubmissionStatus;
    queued: boolean;
  }>(`SELECT id, envelope_sha256, status, queued FROM submissions WHERE id = $1`, [id]);
  const r = rows[0];
  return r
    ? { id: r.id, envelopeSha256: r.envelope_sha256, status: r.status, queued: r.queued }
    : null;
}

/**
 * Links completed, unclaimed uploads to a submission; returns how many were linked so the
 * caller can refuse a submission that names uploads the server does not hold.
 */
export async function attachUploads(
  db: Queryable,
  submissionId: string,
  uploadIds: readonly string[],
): Promise<number> {
  if (uploadIds.length === 0) return 0;
  const { rowCount } = await db.query(
    `UPDATE blobs SET submission_id = $1
      WHERE id = ANY($2::uuid[]) AND kind = 'upload' AND complete
        AND (submission_id IS NULL OR submission_id = $1)`,
    [submissionId, uploadIds],
  );
  return rowCount ?? 0;
}

export async function markQueued(db: Queryable, id: string): Promise<void> {
  await db.query(`UPDATE submissions SET queued = true WHERE id = $1 AND NOT queued`, [id]);
}

/** One page of submissions not yet processed, in id order (keyset pagination). */
export async function listPendingSubmissionIds(
  db: Queryable,
  afterId: string | null,
  limit: number,
): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM submissions
      WHERE status IN ('received', 'processing') AND ($1::uuid IS NULL OR id > $1::uuid)
      ORDER BY id LIMIT $2`,
    [afterId, limit],
  );
  return rows.map((r) => r.id);
}

export async function listSubmissionsBySourceTokenHash(
  db: Queryable,
  tokenHash: Uint8Array,
  limit = 100,
): Promise<SubmissionSummary[]> {
  // to_char keeps the date a plain day: node-pg would turn a date into a local-midnight Date.
  const { rows } = await db.query<{ id: string; status: SubmissionStatus; received_on: string }>(
    `SELECT id, status, to_char(received_on, 'YYYY-MM-DD') AS received_on
       FROM submissions WHERE source_token_hash = $1
      ORDER BY received_on DESC, id LIMIT $2`,
    [Buffer.from(tokenHash), limit],
  );
  return rows.map((r) => ({ id: r.id, status: r.status, receivedOn: r.received_on }));
}
