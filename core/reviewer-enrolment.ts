import type { Pool } from 'pg';
import { verifyEnrolment, randomId, type Bytes, type EnrolmentCertificate } from '../crypto';
import { withTransaction, type Tx } from './db';
import { AppError, E } from './errors';
import { countActiveAdmins, lockAdmins, type Role } from './repositories/admin.repository';
import { insertAudit } from './repositories/audit.repository';
import { insertReviewer } from './repositories/reviewer.repository';

// Enrolling a reviewer (public keys only), for the review API's admin routes and for the first
// admin, whom the server host's operator (`admin:bootstrap`) or `sori admin init` enrols
// straight into the database: no admin exists yet to authorise it through the review API.

const UNIQUE_VIOLATION = '23505';
const isUniqueViolation = (err: unknown) =>
  typeof err === 'object' && err !== null && (err as { code?: unknown }).code === UNIQUE_VIOLATION;

export interface Enrolment {
  name: string;
  role: Role;
  boxPublicKey: Bytes;
  signPublicKey: Bytes;
  certificate?: EnrolmentCertificate | undefined;
}

/**
 * Enrols a reviewer in the caller's transaction; 409 REVIEWER_EXISTS on a taken name or key,
 * 400 ENROLMENT_CERTIFICATE_INVALID for a certificate that does not cover this role and these
 * keys. Whether its signer is trusted is the worker's call (ENROLMENT_ROOTS), not the server's.
 */
export async function enrolReviewer(tx: Tx, by: string | null, e: Enrolment): Promise<string> {
  if (e.certificate && !verifyEnrolment(e, e.certificate))
    throw new AppError(E.ENROLMENT_CERTIFICATE_INVALID);
  const id = randomId();
  try {
    await insertReviewer(tx, { id, ...e });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    throw new AppError(E.REVIEWER_EXISTS);
  }
  await insertAudit(tx, { reviewerId: by ?? id, action: 'reviewer.enroll' });
  return id;
}

export type FirstAdmin = Omit<Enrolment, 'role'>;

/** The new admin's id, or null when an active admin exists already (nothing is written). */
export async function bootstrapFirstAdmin(pool: Pool, admin: FirstAdmin): Promise<string | null> {
  return withTransaction(pool, async (tx) => {
    await lockAdmins(tx);
    if ((await countActiveAdmins(tx)) > 0) return null;
    return enrolReviewer(tx, null, { ...admin, role: 'admin' });
  });
}
