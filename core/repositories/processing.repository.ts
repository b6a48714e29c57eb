import type { CustodyEntry } from '../custody';
import type { Queryable } from '../db';
import { newJobTicket } from '../queue';
import { custodyInsertSql } from './custody.repository';
import { bytesPacker, packColumn } from './packed-bytes';
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
  const { rows } = await db.query<ClaimRow>({
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
  return r ? claimedFrom(r) : null;
}

/**
 * claimSubmission for several jobs at once, found by their tickets (the ticket lookup and the
 * claim in one statement): the claimed submissions by ticket. A ticket missing from the answer
 * names nothing claimable (spent, unknown, or done meanwhile). Rows are locked in id order, as
 * every writer of submissions locks them, so two workers' claims never deadlock. Autocommit.
 */
export async function claimSubmissionsByTicket(
  db: Queryable,
  tickets: readonly string[],
): Promise<Map<string, ClaimedSubmission>> {
  const { rows } = await db.query<ClaimRow & { job_ticket: string }>({
    name: 'sori-claim-submissions-by-ticket',
    // As claimSubmission: this implicit transaction commits without waiting for the disk.
    text: `WITH claimable AS (
             SELECT id FROM submissions
              WHERE job_ticket = ANY($1::text[]) AND status IN ('received', 'processing')
                AND sealed_key IS NOT NULL AND manifest IS NOT NULL
                AND (SELECT set_config('synchronous_commit', 'off', true)) = 'off'
              ORDER BY id FOR UPDATE
           )
           UPDATE submissions s SET status = 'processing', attempts = s.attempts + 1
             FROM claimable WHERE s.id = claimable.id
           RETURNING s.job_ticket, s.id, s.intake_key_id, s.sealed_key, s.manifest,
                     s.envelope_sha256, to_char(s.received_on, 'YYYY-MM-DD') AS received_on,
                     s.attempts`,
    values: [tickets],
  });
  return new Map(rows.map((r) => [r.job_ticket, claimedFrom(r)]));
}

interface ClaimRow {
  id: string;
  intake_key_id: string;
  sealed_key: Buffer;
  manifest: Buffer;
  envelope_sha256: Buffer;
  received_on: string;
  attempts: number;
}

const claimedFrom = (r: ClaimRow): ClaimedSubmission => ({
  id: r.id,
  intakeKeyId: r.intake_key_id,
  sealedKey: r.sealed_key,
  manifest: r.manifest,
  envelopeSha256: r.envelope_sha256,
  receivedOn: r.received_on,
  attempts: r.attempts,
});

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
 * translation is owed), their submissions marked done with the ciphertext dropped, the uploads
 * of the records stored deleted, and `custody` appended, chained by the caller after the head
 * it read under the custody lock. Returns the ids of the records inserted: a submission that
 * already had one gets none (and is marked done all the same). `custody` goes in only if every
 * record did (custodyAppended), never with a gap in the chain. Call under lockOpenSubmissions
 * (or beginRecordBatch), one entry per submission.
 */
export async function storeRecordsAndComplete(
  tx: Queryable,
  batch: readonly StoredRecord[],
  custody: readonly CustodyEntry[],
): Promise<{ inserted: Set<string>; custodyAppended: boolean }> {
  const records = batch.map((s) => s.record);
  const keys = batch.flatMap((s) => s.keys.map((k) => ({ recordId: s.record.id, ...k })));
  const pending = batch.filter((s) => s.pendingKey !== null);
  // Every bytea in one binary parameter ($3), cut out by offset and length (packed-bytes.ts).
  const packer = bytesPacker();
  const bodies = packColumn(
    packer,
    records.map((r) => r.body),
  );
  const hashes = packColumn(
    packer,
    records.map((r) => r.bodySha256),
  );
  const wrapped = packColumn(
    packer,
    keys.map((k) => k.wrappedKey),
  );
  const pendingKeys = packColumn(
    packer,
    pending.map((s) => s.pendingKey!),
  );
  const values: unknown[] = [
    records.map((r) => r.id),
    records.map((r) => r.submissionId),
    packer.blob(),
    bodies.offsets,
    bodies.lengths,
    hashes.offsets,
    hashes.lengths,
    records.map((r) => r.receivedOn),
    records.map((r) => r.language),
    records.map((r) => r.translated),
    keys.map((k) => k.recordId),
    keys.map((k) => k.reviewerId),
    wrapped.offsets,
    wrapped.lengths,
    pending.map((s) => s.record.id),
    pendingKeys.offsets,
    pendingKeys.lengths,
    pending.map((s) => s.pendingTicket ?? newJobTicket()),
  ];
  const { rows } = await tx.query<{ id: string }>({
    name: 'sori-store-records-complete',
    text: `WITH rec AS (
             INSERT INTO records (id, submission_id, body, body_sha256, received_on, language, translated)
             SELECT r.id, r.submission_id, substring($3::bytea FROM r.body_at FOR r.body_len),
                    substring($3::bytea FROM r.sha_at FOR r.sha_len), r.received_on, r.language,
                    r.translated
               FROM unnest($1::uuid[], $2::uuid[], $4::int[], $5::int[], $6::int[], $7::int[],
                           $8::date[], $9::text[], $10::boolean[])
                    AS r (id, submission_id, body_at, body_len, sha_at, sha_len, received_on,
                          language, translated)
             ON CONFLICT (submission_id) DO NOTHING
             RETURNING id, submission_id
           ), rec_keys AS (
             INSERT INTO record_keys (record_id, reviewer_id, wrapped_key)
             SELECT k.record_id, k.reviewer_id, substring($3::bytea FROM k.key_at FOR k.key_len)
               FROM unnest($11::uuid[], $12::uuid[], $13::int[], $14::int[])
                    AS k (record_id, reviewer_id, key_at, key_len)
               JOIN rec ON rec.id = k.record_id
           ), pending AS (
             INSERT INTO record_pending_keys (record_id, wrapped_key, job_ticket)
             SELECT p.record_id, substring($3::bytea FROM p.key_at FOR p.key_len), p.ticket
               FROM unnest($15::uuid[], $16::int[], $17::int[], $18::text[])
                    AS p (record_id, key_at, key_len, ticket)
               JOIN rec ON rec.id = p.record_id
           ), done AS (
             UPDATE submissions
                SET status = 'done', failure_code = NULL, sealed_key = NULL, manifest = NULL
              WHERE id = ANY($2::uuid[])
           ), uploads AS (
             -- The client's ciphertext is only a liability once the record holds what it carried.
             DELETE FROM blobs WHERE kind = 'upload' AND submission_id IN (SELECT submission_id FROM rec)
           ), custody AS (
             ${custodyInsertSql(custody, values, '(SELECT count(*) FROM rec) = cardinality($1::uuid[])')}
           )
           SELECT id FROM rec`,
    values,
  });
  const inserted = new Set(rows.map((r) => r.id));
  return { inserted, custodyAppended: inserted.size === records.length };
}

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
