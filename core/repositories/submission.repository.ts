import type { Queryable } from '../db';
import { newJobTicket } from '../queue';

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
  /** The opaque name its job goes by in Redis (core/queue.ts); drawn here when not given. */
  jobTicket?: string;
}

export interface SubmissionState {
  id: string;
  envelopeSha256: Buffer;
  status: SubmissionStatus;
  queued: boolean;
  /** Null once processed (done or failed): the ticket is single-use. */
  jobTicket: string | null;
}

/** A submission still to be processed, and the ticket its job is queued under. */
export interface PendingSubmission {
  id: string;
  ticket: string;
}

export interface SubmissionSummary {
  id: string;
  status: SubmissionStatus;
  receivedOn: string; // YYYY-MM-DD
}

// A view, not a copy: the manifest is the whole envelope, and it is only read from here on.
const buf = (b: Uint8Array | null): Buffer | null =>
  b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength) : null;

const submissionParams = (s: NewSubmission) => [
  s.id,
  s.intakeKeyId,
  buf(s.sealedKey),
  buf(s.manifest),
  buf(s.envelopeSha256),
  buf(s.sourceTokenHash),
  (s.jobTicket ??= newJobTicket()),
];

/** Inserts unless the id exists; false means a row with this id was already there. */
export async function insertSubmission(db: Queryable, s: NewSubmission): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO submissions
       (id, intake_key_id, sealed_key, manifest, envelope_sha256, source_token_hash, job_ticket,
        received_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, current_date)
     ON CONFLICT (id) DO NOTHING`,
    submissionParams(s),
  );
  return rowCount === 1;
}

/**
 * Inserts unless the id exists or the intake key is unknown or retired, in one statement, so a
 * submission without uploads is one autocommitted round trip. false means nothing was
 * inserted; findInsertRefusal tells which of the two it was.
 */
export async function insertSubmissionForAcceptingKey(
  db: Queryable,
  s: NewSubmission,
): Promise<boolean> {
  // Named, so each pooled connection parses and plans it once: this is the intake hot path.
  const { rowCount } = await db.query({
    name: 'insert-submission-for-accepting-key',
    text: `INSERT INTO submissions
       (id, intake_key_id, sealed_key, manifest, envelope_sha256, source_token_hash, job_ticket,
        received_on)
     SELECT $1::uuid, $2::text, $3::bytea, $4::bytea, $5::bytea, $6::bytea, $7::text, current_date
      WHERE EXISTS (SELECT 1 FROM intake_keys
                     WHERE id = $2::text AND status IN ('current', 'accepting'))
     ON CONFLICT (id) DO NOTHING`,
    values: submissionParams(s),
  });
  return rowCount === 1;
}

/**
 * insertSubmissionForAcceptingKey for many rows in one statement (one commit, one WAL flush):
 * returns the ids that were inserted. Rows whose key is not accepting, or whose id exists (or
 * repeats within the batch), are left out, exactly as the single-row form leaves them.
 */
export async function insertSubmissionsForAcceptingKeys(
  db: Queryable,
  rows: readonly NewSubmission[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  // One parameter per value rather than one array per column: node-postgres sends a Buffer
  // parameter as binary, but a bytea[] array only as a hex text literal (twice the bytes, and
  // Postgres parses it back). Named per row count, so each statement is planned once per
  // connection.
  const { rows: inserted } = await db.query<{ id: string }>({
    name: `insert-submissions-for-accepting-keys-${rows.length}`,
    text: batchInsertText(rows.length),
    values: rows.flatMap(submissionParams),
  });
  return new Set(inserted.map((r) => r.id));
}

const batchInsertTexts: string[] = [];

function batchInsertText(count: number): string {
  const cached = batchInsertTexts[count];
  if (cached) return cached;
  const tuples: string[] = [];
  for (let i = 0; i < count; i++) {
    const p = (n: number) => `$${i * 7 + n}`;
    tuples.push(
      `(${p(1)}::uuid, ${p(2)}::text, ${p(3)}::bytea, ${p(4)}::bytea, ${p(5)}::bytea, ${p(6)}::bytea, ${p(7)}::text)`,
    );
  }
  const text = `INSERT INTO submissions
       (id, intake_key_id, sealed_key, manifest, envelope_sha256, source_token_hash, job_ticket,
        received_on)
     SELECT v.id, v.key_id, v.sealed_key, v.manifest, v.sha, v.token_hash, v.ticket, current_date
       FROM (VALUES ${tuples.join(', ')})
         AS v (id, key_id, sealed_key, manifest, sha, token_hash, ticket)
      WHERE EXISTS (SELECT 1 FROM intake_keys k
                     WHERE k.id = v.key_id AND k.status IN ('current', 'accepting'))
     ON CONFLICT (id) DO NOTHING
     RETURNING id`;
  batchInsertTexts[count] = text;
  return text;
}

export interface InsertRefusal {
  intakeKeyAccepting: boolean;
  existing: SubmissionState | null;
}

/** Why insertSubmissionForAcceptingKey inserted nothing: the key state and the row under the id. */
export async function findInsertRefusal(
  db: Queryable,
  id: string,
  intakeKeyId: string,
): Promise<InsertRefusal> {
  const { rows } = await db.query<{
    key_accepting: boolean;
    id: string | null;
    envelope_sha256: Buffer | null;
    status: SubmissionStatus | null;
    queued: boolean | null;
    job_ticket: string | null;
  }>(
    `SELECT EXISTS (SELECT 1 FROM intake_keys
                     WHERE id = $2::text AND status IN ('current', 'accepting')) AS key_accepting,
            s.id, s.envelope_sha256, s.status, s.queued, s.job_ticket
       FROM (SELECT 1) AS one
       LEFT JOIN submissions s ON s.id = $1::uuid`,
    [id, intakeKeyId],
  );
  const r = rows[0];
  const existing =
    r?.id && r.envelope_sha256 && r.status && r.queued !== null
      ? {
          id: r.id,
          envelopeSha256: r.envelope_sha256,
          status: r.status,
          queued: r.queued,
          jobTicket: r.job_ticket,
        }
      : null;
  return { intakeKeyAccepting: r?.key_accepting === true, existing };
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
    job_ticket: string | null;
  }>(`SELECT id, envelope_sha256, status, queued, job_ticket FROM submissions WHERE id = $1`, [id]);
  const r = rows[0];
  return r
    ? {
        id: r.id,
        envelopeSha256: r.envelope_sha256,
        status: r.status,
        queued: r.queued,
        jobTicket: r.job_ticket,
      }
    : null;
}

/** The submission a job ticket names; null once it was processed (the ticket is spent). */
export async function findSubmissionIdByTicket(
  db: Queryable,
  ticket: string,
): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>({
    name: 'sori-submission-by-ticket',
    text: `SELECT id FROM submissions WHERE job_ticket = $1`,
    values: [ticket],
  });
  return rows[0]?.id ?? null;
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
  await markAllQueued(db, [id]);
}

/** The outbox flag for a batch of enqueued submissions, in one statement. */
export async function markAllQueued(db: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query({
    name: 'mark-all-queued',
    text: `UPDATE submissions SET queued = true WHERE id = ANY($1::uuid[]) AND NOT queued`,
    values: [ids],
  });
}

/** One page of submissions not yet processed, in id order (keyset pagination). */
export async function listPendingSubmissions(
  db: Queryable,
  afterId: string | null,
  limit: number,
): Promise<PendingSubmission[]> {
  const { rows } = await db.query<{ id: string; job_ticket: string }>(
    `SELECT id, job_ticket FROM submissions
      WHERE status IN ('received', 'processing') AND ($1::uuid IS NULL OR id > $1::uuid)
      ORDER BY id LIMIT $2`,
    [afterId, limit],
  );
  return rows.map((r) => ({ id: r.id, ticket: r.job_ticket }));
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
