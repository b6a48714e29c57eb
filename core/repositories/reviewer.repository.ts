import type { Queryable } from '../db';

// Reviewers as the worker sees them: who may read a new record. Public keys only.

export interface ReviewerKey {
  id: string;
  boxPublicKey: Buffer;
}

/** A reviewer row with its enrolment certificate, for the worker's trust check. */
export interface ReviewerRow extends ReviewerKey {
  role: string;
  signPublicKey: Buffer;
  certSigner: Buffer | null;
  certSignature: Buffer | null;
}

export interface NewReviewer {
  id: string;
  name: string;
  boxPublicKey: Uint8Array;
  signPublicKey: Uint8Array;
  role?: 'reviewer' | 'admin';
  /** Enrolment certificate (crypto/enrolment.ts), checked by the caller. */
  certificate?: { signer: Uint8Array; signature: Uint8Array } | undefined;
}

/** Every non-revoked reviewer with role, keys and certificate, in id order (see reviewerRowFrom). */
export const ACTIVE_REVIEWER_ROWS_SQL = `SELECT id, role, box_public_key, sign_public_key,
  cert_signer, cert_signature FROM reviewers WHERE revoked_on IS NULL ORDER BY id`;

/** Every non-revoked reviewer with role, keys and enrolment certificate (the worker's check). */
export async function listActiveReviewerRows(db: Queryable): Promise<ReviewerRow[]> {
  const { rows } = await db.query<ReviewerDbRow>(ACTIVE_REVIEWER_ROWS_SQL);
  return rows.map(reviewerRowFrom);
}

/** The columns of a reviewer row the worker reads, as Postgres names them. */
export interface ReviewerDbRow {
  id: string;
  role: string;
  box_public_key: Buffer;
  sign_public_key: Buffer;
  cert_signer: Buffer | null;
  cert_signature: Buffer | null;
}

export function reviewerRowFrom(r: ReviewerDbRow): ReviewerRow {
  return {
    id: r.id,
    boxPublicKey: r.box_public_key,
    signPublicKey: r.sign_public_key,
    role: r.role,
    certSigner: r.cert_signer,
    certSignature: r.cert_signature,
  };
}

export async function insertReviewer(db: Queryable, r: NewReviewer): Promise<void> {
  await db.query(
    `INSERT INTO reviewers (id, name, box_public_key, sign_public_key, role, cert_signer, cert_signature)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      r.id,
      r.name,
      Buffer.from(r.boxPublicKey),
      Buffer.from(r.signPublicKey),
      r.role ?? 'reviewer',
      r.certificate ? Buffer.from(r.certificate.signer) : null,
      r.certificate ? Buffer.from(r.certificate.signature) : null,
    ],
  );
}

/** Replaces a row's enrolment certificate (checked by the caller against the row's keys). */
export async function setReviewerCertificate(
  db: Queryable,
  id: string,
  certificate: { signer: Uint8Array; signature: Uint8Array },
): Promise<void> {
  await db.query(`UPDATE reviewers SET cert_signer = $2, cert_signature = $3 WHERE id = $1`, [
    id,
    Buffer.from(certificate.signer),
    Buffer.from(certificate.signature),
  ]);
}

export async function revokeReviewer(db: Queryable, id: string): Promise<void> {
  await db.query(
    `UPDATE reviewers SET revoked_on = current_date WHERE id = $1 AND revoked_on IS NULL`,
    [id],
  );
}
