import { cachedCertificateCheck, certifiedReviewers, type CertifiedReviewer } from '../crypto';

// Which reviewer rows the worker believes. Without roots (ENROLMENT_ROOTS unset) every
// non-revoked row is a reviewer, as the database says. With roots, the chain rule of
// crypto/enrolment.ts: a row counts only if its certificate holds and its signer is a root or
// the signing key of an admin row that counts. A row written straight into the database, or
// signed by anyone else, gets no record key. Revoked rows are never offered here, so the
// reviewers a revoked admin certified stop counting too until someone trusted certifies them.

export interface EnrolledRow extends CertifiedReviewer {
  id: string;
}

export interface EnrolmentTrust {
  /** Roots configured: rows must carry a certificate chaining to one. */
  readonly enforced: boolean;
  /** The rows that count, in their given order. */
  trusted<T extends EnrolledRow>(rows: readonly T[]): T[];
}

export const TRUST_DATABASE: EnrolmentTrust = { enforced: false, trusted: (rows) => [...rows] };

export function createEnrolmentTrust(roots: readonly Uint8Array[]): EnrolmentTrust {
  if (roots.length === 0) return TRUST_DATABASE;
  // Checked once per record batch; verdicts are remembered while a row's bytes stay the same.
  const holds = cachedCertificateCheck();
  return {
    enforced: true,
    trusted: (rows) => certifiedReviewers(rows, roots, holds),
  };
}
