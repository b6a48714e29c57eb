import type { Queryable } from '../db';

// Intake keys are public keys only; the matching secret key lives with the worker.

export type IntakeKeyStatus = 'current' | 'accepting' | 'retired';

export interface IntakeKeyRow {
  id: string;
  publicKey: Buffer;
  fingerprint: string;
  status: IntakeKeyStatus;
}

interface DbRow {
  id: string;
  public_key: Buffer;
  fingerprint: string;
  status: IntakeKeyStatus;
}

const toRow = (r: DbRow): IntakeKeyRow => ({
  id: r.id,
  publicKey: r.public_key,
  fingerprint: r.fingerprint,
  status: r.status,
});

/** The key published to clients; at most one (a unique partial index enforces it). */
export async function findCurrentIntakeKey(db: Queryable): Promise<IntakeKeyRow | null> {
  const { rows } = await db.query<DbRow>(
    `SELECT id, public_key, fingerprint, status FROM intake_keys WHERE status = 'current'`,
  );
  return rows[0] ? toRow(rows[0]) : null;
}

/** Ids still accepted for new submissions: the current key and those kept after a rotation. */
export async function listAcceptingIntakeKeyIds(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM intake_keys WHERE status IN ('current', 'accepting') ORDER BY id`,
  );
  return rows.map((r) => r.id);
}

export async function isIntakeKeyAccepting(db: Queryable, id: string): Promise<boolean> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM intake_keys WHERE id = $1 AND status IN ('current', 'accepting')`,
    [id],
  );
  return rows.length === 1;
}

export async function insertIntakeKey(
  db: Queryable,
  key: { id: string; publicKey: Uint8Array; fingerprint: string; status?: IntakeKeyStatus },
): Promise<void> {
  await db.query(
    `INSERT INTO intake_keys (id, public_key, fingerprint, status) VALUES ($1, $2, $3, $4)`,
    [key.id, Buffer.from(key.publicKey), key.fingerprint, key.status ?? 'current'],
  );
}
