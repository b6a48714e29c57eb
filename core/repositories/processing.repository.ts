import type { Queryable } from '../db';
import { newJobTicket } from '../queue';
import type { NewRecord } from './record.repository';

// The worker's side of a submission's life: claim it, then either finish it (record stored)
// or fail it with a code. Both ends drop the ciphertext: once a submission is done or can never
// be opened, the intake copy is only a liability.

export interface ClaimedSubmission {
  id: string;
  intakeKeyId: string;
  sealedKey: Buffer;
  manifest: Buffer;
  envelopeSha256: Buffer;
  receivedOn: string; // YYYY-MM-DD
  attempts: number;
}

/**
 * Marks the submission as being processed and counts the attempt; null when there is nothing
 * to do (unknown id, already done or failed). Autocommit only (pass the pool, not a tx).
 */
export async function claimSubmission(
  db: Queryable,
  id: string,
): Promise<ClaimedSubmission | null> {
  const { rows } = await db.query<{
    id: string;
    intake_key_id: string;
    sealed_key: Buffer;
    manifest: Buffer;
    envelope_sha256: Buffer;
    received_on: string;
    attempts: number;
  }>({
    name: 'sori-claim-submission',
    // The claim commits without waiting for the disk (synchronous_commit off for this one
    // implicit transaction): a database crash can only lose the mark and the attempt count,
    // which leaves the submission claimable again. The store that follows does wait, and
    // its flush covers this commit too. Saves one disk flush of latency per job.
    text: `UPDATE submissions SET status = 'processing', attempts = attempts + 1
            WHERE id = $1 AND status IN ('received', 'processing')
              AND sealed_key IS NOT NULL AND manifest IS NOT NULL
              AND (SELECT set_config('synchronous_commit', 'off', true)) = 'off'
            RETURNING id, intake_key_id, sealed_key, manifest, envelope_sha256,
                      to_char(received_on, 'YYYY-MM-DD') AS received_on, attempts`,
    values: [id],
  });
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    intakeKeyId: r.intake_key_id,
    sealedKey: r.sealed_key,
    manifest: r.manifest,
    envelopeSha256: r.envelope_sha256,
    receivedOn: r.received_on,
    attempts: r.attempts,
  };
}

const isOpen = (status: string | undefined): boolean =>
  status === 'received' || status === 'processing';

/**
 * Locks the rows for the rest of the transaction and returns the ids still open: a second job
 * for the same submission waits here, then finds it done and stores nothing. In id order, so
 * two transactions locking overlapping sets never deadlock.
 */
export async function lockOpenSubmissions(
  tx: Queryable,
  ids: readonly string[],
): Promise<Set<string>> {
  const { rows } = await tx.query<{ id: string; status: string }>({
    name: 'sori-lock-open-submissions',
    text: `SELECT id, status FROM submissions WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
    values: [ids],
  });
  return new Set(rows.filter((r) => isOpen(r.status)).map((r) => r.id));
}

export interface StoredRecord {
  record: NewRecord;
  /** The record key sealed to each reviewer. */
  keys: ReadonlyArray<{ reviewerId: string; wrappedKey: Uint8Array }>;
  /** The record key sealed to the worker, while a machine translation is owed. */
  pendingKey: Uint8Array | null;
  /** With pendingKey: the ticket its retry-translation job goes by. */
  pendingTicket?: string | null;
}

/**
 * One statement for a batch: the records, their sealed keys (and the worker's while a
 * translation is owed), and their submissions marked done with the ciphertext dropped. Returns
 * the ids of the records inserted: a submission that already had one gets none (and is marked
 * done all the same). Call under lockOpenSubmissions, one entry per submission.
 */
export async function storeRecordsAndComplete(
  tx: Queryable,
  batch: readonly StoredRecord[],
): Promise<Set<string>> {
  const records = batch.map((s) => s.record);
  const keys = batch.flatMap((s) => s.keys.map((k) => ({ recordId: s.record.id, ...k })));
  const pending = batch.filter((s) => s.pendingKey !== null);
  const { rows } = await tx.query<{ id: string }>({
    name: 'sori-store-records-complete',
    text: `WITH rec AS (
             INSERT INTO records (id, submission_id, body, body_sha256, received_on, language, translated)
             SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bytea[], $4::bytea[], $5::date[],
                                  $6::text[], $7::boolean[])
             ON CONFLICT (submission_id) DO NOTHING
             RETURNING id
           ), rec_keys AS (
             INSERT INTO record_keys (record_id, reviewer_id, wrapped_key)
             SELECT k.record_id, k.reviewer_id, k.wrapped_key
               FROM unnest($8::uuid[], $9::uuid[], $10::bytea[]) AS k (record_id, reviewer_id, wrapped_key)
               JOIN rec ON rec.id = k.record_id
           ), pending AS (
             INSERT INTO record_pending_keys (record_id, wrapped_key, job_ticket)
             SELECT p.record_id, p.wrapped_key, p.ticket
               FROM unnest($11::uuid[], $12::bytea[], $13::text[]) AS p (record_id, wrapped_key, ticket)
               JOIN rec ON rec.id = p.record_id
           ), done AS (
             UPDATE submissions
                SET status = 'done', failure_code = NULL, sealed_key = NULL, manifest = NULL
              WHERE id = ANY($2::uuid[])
           )
           SELECT id FROM rec`,
    values: [
      records.map((r) => r.id),
      records.map((r) => r.submissionId),
      records.map((r) => toBuffer(r.body)),
      records.map((r) => toBuffer(r.bodySha256)),
      records.map((r) => r.receivedOn),
      records.map((r) => r.language),
      records.map((r) => r.translated),
      keys.map((k) => k.recordId),
      keys.map((k) => k.reviewerId),
      keys.map((k) => toBuffer(k.wrappedKey)),
      pending.map((s) => s.record.id),
      pending.map((s) => toBuffer(s.pendingKey!)),
      pending.map((s) => s.pendingTicket ?? newJobTicket()),
    ],
  });
  return new Set(rows.map((r) => r.id));
}

/** A view of the same bytes, not a copy (libsodium's outputs are plain Uint8Arrays). */
const toBuffer = (b: Uint8Array): Buffer =>
  Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);

export async function completeSubmission(tx: Queryable, id: string): Promise<void> {
  await tx.query(
    `UPDATE submissions SET status = 'done', failure_code = NULL, sealed_key = NULL, manifest = NULL
      WHERE id = $1`,
    [id],
  );
}

/** Terminal failure: nothing can ever open it, so the ciphertext goes; the hash and code stay. */
export async function failSubmission(
  db: Queryable,
  id: string,
  code: string,
  options: { keepCiphertext?: boolean } = {},
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE submissions SET status = 'failed', failure_code = $2,
            sealed_key = CASE WHEN $3 THEN sealed_key END,
            manifest = CASE WHEN $3 THEN manifest END
      WHERE id = $1 AND status IN ('received', 'processing')`,
    [id, code, options.keepCiphertext === true],
  );
  return rowCount === 1;
}
