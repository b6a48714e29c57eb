import type { Queryable } from '../db';
import type { IntakeKeyStatus } from './intake-key.repository';

// Intake-key rotation and retention policies, as the admin routes change them.

export interface IntakeKeyListing {
  id: string;
  publicKey: Buffer;
  fingerprint: string;
  status: IntakeKeyStatus;
  createdOn: string;
  retiredOn: string | null;
}

export async function listIntakeKeys(db: Queryable): Promise<IntakeKeyListing[]> {
  const { rows } = await db.query<{
    id: string;
    public_key: Buffer;
    fingerprint: string;
    status: IntakeKeyStatus;
    created_on: string;
    retired_on: string | null;
  }>(
    `SELECT id, public_key, fingerprint, status, to_char(created_on, 'YYYY-MM-DD') AS created_on,
            to_char(retired_on, 'YYYY-MM-DD') AS retired_on
       FROM intake_keys ORDER BY created_on DESC, id`,
  );
  return rows.map((r) => ({
    id: r.id,
    publicKey: r.public_key,
    fingerprint: r.fingerprint,
    status: r.status,
    createdOn: r.created_on,
    retiredOn: r.retired_on,
  }));
}

export async function findIntakeKeyStatus(
  tx: Queryable,
  id: string,
): Promise<IntakeKeyStatus | null> {
  const { rows } = await tx.query<{ status: IntakeKeyStatus }>(
    `SELECT status FROM intake_keys WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0]?.status ?? null;
}

/** The current key becomes 'accepting': submissions sealed to it are still taken. */
export async function demoteCurrentIntakeKey(tx: Queryable): Promise<void> {
  await tx.query(`UPDATE intake_keys SET status = 'accepting' WHERE status = 'current'`);
}

export async function promoteIntakeKey(tx: Queryable, id: string): Promise<void> {
  await tx.query(`UPDATE intake_keys SET status = 'current' WHERE id = $1`, [id]);
}

export async function retireIntakeKey(tx: Queryable, id: string): Promise<void> {
  await tx.query(
    `UPDATE intake_keys SET status = 'retired', retired_on = current_date WHERE id = $1 AND status <> 'retired'`,
    [id],
  );
}

export interface RetentionPolicy {
  status: 'new' | 'in-review' | 'verified' | 'closed';
  days: number;
}

export async function listRetention(db: Queryable): Promise<RetentionPolicy[]> {
  const { rows } = await db.query<RetentionPolicy>(
    `SELECT status, days FROM retention_policies ORDER BY status`,
  );
  return rows.map((r) => ({ status: r.status, days: r.days }));
}

/** Replaces the whole policy set (a status left out keeps its records forever). */
export async function replaceRetention(
  tx: Queryable,
  policies: readonly RetentionPolicy[],
): Promise<void> {
  await tx.query(`DELETE FROM retention_policies`);
  if (policies.length === 0) return;
  await tx.query(
    `INSERT INTO retention_policies (status, days) SELECT * FROM unnest($1::text[], $2::int[])`,
    [policies.map((p) => p.status), policies.map((p) => p.days)],
  );
}

/**
 * Deletes records past their status's retention with their entries, keys and replies
 * (ON DELETE CASCADE) and the files of their submission. The custody log has no foreign key:
 * its hashes outlive the records. Returns the deleted record ids.
 */
export async function deleteExpiredRecords(tx: Queryable): Promise<string[]> {
  const { rows } = await tx.query<{ id: string; submission_id: string }>(
    `DELETE FROM records r USING retention_policies p
      WHERE p.status = r.status AND r.received_on < current_date - p.days
      RETURNING r.id, r.submission_id`,
  );
  if (rows.length > 0) {
    await tx.query(`DELETE FROM blobs WHERE submission_id = ANY($1::uuid[])`, [
      rows.map((r) => r.submission_id),
    ]);
  }
  return rows.map((r) => r.id);
}
