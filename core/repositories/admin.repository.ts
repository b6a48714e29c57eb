import type { Queryable } from '../db';

// What the review API needs about reviewers beyond the worker's view (reviewer.repository.ts):
// lookups for login and grants, the listing, and revocation. Public keys only.

export type Role = 'reviewer' | 'admin';

export interface ReviewerRow {
  id: string;
  name: string;
  role: Role;
  boxPublicKey: Buffer;
  signPublicKey: Buffer;
  enrolledOn: string;
  revokedOn: string | null;
  /** Enrolment certificate (crypto/enrolment.ts), if one was given. */
  certSigner: Buffer | null;
  certSignature: Buffer | null;
}

interface DbRow {
  id: string;
  name: string;
  role: Role;
  box_public_key: Buffer;
  sign_public_key: Buffer;
  enrolled_on: string;
  revoked_on: string | null;
  cert_signer: Buffer | null;
  cert_signature: Buffer | null;
}

const COLUMNS = `id, name, role, box_public_key, sign_public_key, cert_signer, cert_signature,
  to_char(enrolled_on, 'YYYY-MM-DD') AS enrolled_on, to_char(revoked_on, 'YYYY-MM-DD') AS revoked_on`;

const toRow = (r: DbRow): ReviewerRow => ({
  id: r.id,
  name: r.name,
  role: r.role,
  boxPublicKey: r.box_public_key,
  signPublicKey: r.sign_public_key,
  enrolledOn: r.enrolled_on,
  revokedOn: r.revoked_on,
  certSigner: r.cert_signer,
  certSignature: r.cert_signature,
});

export async function findReviewerBySignKey(
  db: Queryable,
  signPublicKey: Uint8Array,
): Promise<ReviewerRow | null> {
  const { rows } = await db.query<DbRow>(
    `SELECT ${COLUMNS} FROM reviewers WHERE sign_public_key = $1`,
    [Buffer.from(signPublicKey)],
  );
  return rows[0] ? toRow(rows[0]) : null;
}

/** `lock`: 'share' holds the row against a concurrent revocation, 'update' is the revocation. */
export async function findReviewerById(
  db: Queryable,
  id: string,
  lock?: 'share' | 'update',
): Promise<ReviewerRow | null> {
  const suffix = lock === 'share' ? 'FOR SHARE' : lock === 'update' ? 'FOR UPDATE' : '';
  const { rows } = await db.query<DbRow>(
    `SELECT ${COLUMNS} FROM reviewers WHERE id = $1 ${suffix}`,
    [id],
  );
  return rows[0] ? toRow(rows[0]) : null;
}

export async function listReviewers(db: Queryable): Promise<ReviewerRow[]> {
  const { rows } = await db.query<DbRow>(`SELECT ${COLUMNS} FROM reviewers ORDER BY name`);
  return rows.map(toRow);
}

export async function countActiveAdmins(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM reviewers WHERE role = 'admin' AND revoked_on IS NULL`,
  );
  return rows[0]?.n ?? 0;
}

/** Serialises admin enrolment and revocation, so "is there another admin?" cannot race. */
export async function lockAdmins(tx: Queryable): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock($1)`, [0x534f5249_03]); // "SORI" 3
}

/**
 * Marks the reviewer revoked and drops every key sealed to them, in the caller's tx: record
 * keys, and (for an admin) the keys of held-back originals.
 */
export async function revokeReviewerAccess(tx: Queryable, id: string): Promise<number> {
  await tx.query(
    `UPDATE reviewers SET revoked_on = current_date WHERE id = $1 AND revoked_on IS NULL`,
    [id],
  );
  const { rowCount } = await tx.query(`DELETE FROM record_keys WHERE reviewer_id = $1`, [id]);
  await tx.query(`DELETE FROM record_file_keys WHERE reviewer_id = $1`, [id]);
  return rowCount ?? 0;
}
