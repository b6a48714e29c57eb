import type { Queryable } from '../db';

// Records are ciphertext plus the little the server may filter on (language hint, workflow
// state). The record key is stored only sealed: to each reviewer, and to the worker while a
// machine translation is still owed.

export interface NewRecord {
  id: string;
  submissionId: string;
  body: Uint8Array;
  bodySha256: Uint8Array;
  receivedOn: string;
  language: string;
  translated: boolean;
}

export interface PendingTranslation {
  recordId: string;
  wrappedKey: Buffer;
  attempts: number;
  body: Buffer;
  /** The single-use name its retry-translation job goes by (core/queue.ts). */
  ticket: string;
}

/** False when the submission already has a record (a duplicate job lost the race). */
export async function insertRecord(tx: Queryable, r: NewRecord): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO records (id, submission_id, body, body_sha256, received_on, language, translated)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (submission_id) DO NOTHING`,
    [
      r.id,
      r.submissionId,
      Buffer.from(r.body),
      Buffer.from(r.bodySha256),
      r.receivedOn,
      r.language,
      r.translated,
    ],
  );
  return rowCount === 1;
}

export async function insertRecordKeys(
  tx: Queryable,
  recordId: string,
  keys: ReadonlyArray<{ reviewerId: string; wrappedKey: Uint8Array }>,
): Promise<void> {
  if (keys.length === 0) return;
  await tx.query(
    `INSERT INTO record_keys (record_id, reviewer_id, wrapped_key)
     SELECT $1, k.reviewer_id, k.wrapped_key
       FROM unnest($2::uuid[], $3::bytea[]) AS k (reviewer_id, wrapped_key)`,
    [recordId, keys.map((k) => k.reviewerId), keys.map((k) => Buffer.from(k.wrappedKey))],
  );
}

export async function findRecordIdBySubmission(
  db: Queryable,
  submissionId: string,
): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM records WHERE submission_id = $1`,
    [submissionId],
  );
  return rows[0]?.id ?? null;
}

/** The owed translation with the record body; `lock` holds the row to the end of the tx. */
export async function findPendingTranslation(
  db: Queryable,
  recordId: string,
  options: { lock?: boolean } = {},
): Promise<PendingTranslation | null> {
  const { rows } = await db.query<{
    record_id: string;
    wrapped_key: Buffer;
    attempts: number;
    body: Buffer;
    job_ticket: string;
  }>(
    `SELECT p.record_id, p.wrapped_key, p.attempts, r.body, p.job_ticket
       FROM record_pending_keys p JOIN records r ON r.id = p.record_id
      WHERE p.record_id = $1 ${options.lock ? 'FOR UPDATE OF p' : ''}`,
    [recordId],
  );
  const r = rows[0];
  return r
    ? {
        recordId: r.record_id,
        wrappedKey: r.wrapped_key,
        attempts: r.attempts,
        body: r.body,
        ticket: r.job_ticket,
      }
    : null;
}

/** The record an owed translation's job ticket names; null once nothing is owed. */
export async function findRecordIdByPendingTicket(
  db: Queryable,
  ticket: string,
): Promise<string | null> {
  const { rows } = await db.query<{ record_id: string }>(
    `SELECT record_id FROM record_pending_keys WHERE job_ticket = $1`,
    [ticket],
  );
  return rows[0]?.record_id ?? null;
}

export async function countPendingAttempt(db: Queryable, recordId: string): Promise<void> {
  await db.query(`UPDATE record_pending_keys SET attempts = attempts + 1 WHERE record_id = $1`, [
    recordId,
  ]);
}

/** The job tickets of owed translations (what the worker re-enqueues at start). */
export async function listPendingTranslationTickets(
  db: Queryable,
  limit = 1000,
): Promise<string[]> {
  const { rows } = await db.query<{ job_ticket: string }>(
    `SELECT job_ticket FROM record_pending_keys ORDER BY record_id LIMIT $1`,
    [limit],
  );
  return rows.map((r) => r.job_ticket);
}

/** Drops the worker's copy of the record key once nothing more is owed. */
export async function deletePendingKey(tx: Queryable, recordId: string): Promise<void> {
  await tx.query(`DELETE FROM record_pending_keys WHERE record_id = $1`, [recordId]);
}

export async function insertRecordEntry(
  tx: Queryable,
  e: {
    id: string;
    recordId: string;
    kind: 'translation';
    body: Uint8Array;
    authorId: string | null;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO record_entries (id, record_id, kind, author_id, body) VALUES ($1, $2, $3, $4, $5)`,
    [e.id, e.recordId, e.kind, e.authorId, Buffer.from(e.body)],
  );
}

export async function markTranslated(tx: Queryable, recordId: string): Promise<void> {
  await tx.query(`UPDATE records SET translated = true WHERE id = $1`, [recordId]);
}
