import { certificateHolds, certifiedReviewers, toHex, type CertifiedReviewer } from '../crypto';

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

const MAX_CACHED = 10_000;

export function createEnrolmentTrust(roots: readonly Uint8Array[]): EnrolmentTrust {
  if (roots.length === 0) return TRUST_DATABASE;
  // Signature checks are the cost, once per record batch: a row's verdict holds as long as its
  // bytes do.
  const verdicts = new Map<string, boolean>();
  const holds = (r: EnrolledRow): boolean => {
    const parts = [r.boxPublicKey, r.signPublicKey, r.certSigner, r.certSignature];
    const key = [r.role, ...parts.map((p) => (p ? toHex(p) : '-'))].join(':');
    let ok = verdicts.get(key);
    if (ok === undefined) {
      ok = certificateHolds(r);
      if (verdicts.size >= MAX_CACHED) verdicts.clear();
      verdicts.set(key, ok);
    }
    return ok;
  };
  return {
    enforced: true,
    trusted: (rows) => certifiedReviewers(rows, roots, holds),
  };
}
