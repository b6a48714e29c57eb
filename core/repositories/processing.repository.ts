import type { Queryable } from '../db';

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
 * to do (unknown id, already done or failed).
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
  }>(
    `UPDATE submissions SET status = 'processing', attempts = attempts + 1
      WHERE id = $1 AND status IN ('received', 'processing')
        AND sealed_key IS NOT NULL AND manifest IS NOT NULL
      RETURNING id, intake_key_id, sealed_key, manifest, envelope_sha256,
                to_char(received_on, 'YYYY-MM-DD') AS received_on, attempts`,
    [id],
  );
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

/**
 * Locks the row for the rest of the transaction and says whether it is still open. A second
 * job for the same submission waits here, then sees 'done' and stores nothing.
 */
export async function lockOpenSubmission(tx: Queryable, id: string): Promise<boolean> {
  const { rows } = await tx.query<{ status: string }>(
    `SELECT status FROM submissions WHERE id = $1 FOR UPDATE`,
    [id],
  );
  const status = rows[0]?.status;
  return status === 'received' || status === 'processing';
}

export async function completeSubmission(tx: Queryable, id: string): Promise<void> {
  await tx.query(
    `UPDATE submissions SET status = 'done', failure_code = NULL, sealed_key = NULL, manifest = NULL
      WHERE id = $1`,
    [id],
  );
}

/** Terminal failure: nothing can ever open it, so the ciphertext goes; the hash and code stay. */
export async function failSubmission(db: Queryable, id: string, code: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE submissions SET status = 'failed', failure_code = $2, sealed_key = NULL, manifest = NULL
      WHERE id = $1 AND status IN ('received', 'processing')`,
    [id, code],
  );
  return rowCount === 1;
}
