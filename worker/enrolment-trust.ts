import { cachedCertificateCheck, certifiedReviewers, type CertifiedReviewer } from '../crypto';

// Which reviewer rows the worker believes: every non-revoked row without ENROLMENT_ROOTS; with
// roots, only rows whose certificate chains to one (crypto/enrolment.ts).

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
