import type { Queryable } from '../db';

// Public keys the worker publishes about itself at start: its custody signing key and box
// key (service_keys), and the intake public key(s) it holds the secrets for (intake_keys).

export type ServiceKeyPurpose = 'worker-sign' | 'worker-box' | 'custodian';

export interface ServiceKeyRow {
  id: string;
  purpose: ServiceKeyPurpose;
  publicKey: Buffer;
  retired: boolean;
}

// Serialises key registration between workers starting at once (see registerIntakeKey).
const REGISTRATION_LOCK = 0x534f5249_01; // "SORI" 1

export async function lockKeyRegistration(tx: Queryable): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock($1)`, [REGISTRATION_LOCK]);
}

/** Idempotent: a key already registered (same id) is left as it is. */
export async function registerServiceKey(
  db: Queryable,
  key: { id: string; purpose: ServiceKeyPurpose; publicKey: Uint8Array },
): Promise<void> {
  await db.query(
    `INSERT INTO service_keys (id, purpose, public_key) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`,
    [key.id, key.purpose, Buffer.from(key.publicKey)],
  );
}

export async function listServiceKeys(
  db: Queryable,
  purpose: ServiceKeyPurpose,
): Promise<ServiceKeyRow[]> {
  const { rows } = await db.query<{
    id: string;
    purpose: ServiceKeyPurpose;
    public_key: Buffer;
    retired: boolean;
  }>(
    `SELECT id, purpose, public_key, retired_on IS NOT NULL AS retired FROM service_keys
      WHERE purpose = $1 ORDER BY created_on, id`,
    [purpose],
  );
  return rows.map((r) => ({
    id: r.id,
    purpose: r.purpose,
    publicKey: r.public_key,
    retired: r.retired,
  }));
}

/**
 * Publishes an intake public key: 'current' when no key is current yet, else 'accepting'; a
 * key already present keeps its status (an operator may have retired it). Call under
 * lockKeyRegistration so two workers cannot both see "no current key". Returns the status
 * given, or null when the key was already there.
 */
export async function registerIntakeKey(
  tx: Queryable,
  key: { id: string; publicKey: Uint8Array; fingerprint: string },
): Promise<'current' | 'accepting' | null> {
  const { rows } = await tx.query<{ status: 'current' | 'accepting' }>(
    `INSERT INTO intake_keys (id, public_key, fingerprint, status)
     SELECT $1, $2, $3,
            CASE WHEN EXISTS (SELECT 1 FROM intake_keys WHERE status = 'current')
                 THEN 'accepting' ELSE 'current' END
     ON CONFLICT DO NOTHING
     RETURNING status`,
    [key.id, Buffer.from(key.publicKey), key.fingerprint],
  );
  return rows[0]?.status ?? null;
}
