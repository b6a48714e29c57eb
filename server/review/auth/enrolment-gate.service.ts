import type { Pool } from 'pg';
import { withTransaction } from '../../../core/db';
import { AppError, E } from '../../../core/errors';
import { findReviewerById } from '../../../core/repositories/admin.repository';
import { insertAudit } from '../../../core/repositories/audit.repository';
import {
  listActiveReviewerRows,
  setReviewerCertificate,
  type ReviewerRow,
} from '../../../core/repositories/reviewer.repository';
import {
  cachedCertificateCheck,
  certifiedReviewers,
  verifyEnrolment,
  type EnrolmentCertificate,
} from '../../../crypto';

// With enrolment roots configured, the review API believes the chain the worker does: a row
// whose certificate does not chain to a root is authenticated only to present a certificate
// for itself (server/review/API.md).

export interface EnrolmentGate {
  readonly enforced: boolean;
  /** Whether the reviewer's row counts (always true without roots). */
  certified(reviewerId: string): Promise<boolean>;
  /** Sets the caller's own certificate if it covers their row and chains; returns whether it does. */
  present(reviewerId: string, certificate: EnrolmentCertificate): Promise<{ id: string }>;
}

export const uncertified = () => new AppError(E.ENROLMENT_UNCERTIFIED);

export function createEnrolmentGate(deps: {
  pool: Pool;
  roots: readonly Uint8Array[];
}): EnrolmentGate {
  const { pool, roots } = deps;
  const holds = cachedCertificateCheck();
  const counts = (rows: readonly ReviewerRow[], id: string): boolean =>
    certifiedReviewers(rows, roots, holds).some((r) => r.id === id);

  return {
    enforced: roots.length > 0,
    async certified(reviewerId) {
      if (roots.length === 0) return true;
      return counts(await listActiveReviewerRows(pool), reviewerId);
    },
    present: (reviewerId, certificate) =>
      withTransaction(pool, async (tx) => {
        const self = await findReviewerById(tx, reviewerId, 'update');
        if (!self || self.revokedOn) throw new AppError(E.REVIEWER_REVOKED_CONFLICT);
        if (!verifyEnrolment(self, certificate))
          throw new AppError(E.ENROLMENT_CERTIFICATE_INVALID);
        await setReviewerCertificate(tx, reviewerId, certificate);
        // Only a certificate that makes the row count is kept (the transaction rolls back).
        if (roots.length > 0 && !counts(await listActiveReviewerRows(tx), reviewerId))
          throw new AppError(E.ENROLMENT_CERTIFICATE_UNTRUSTED);
        await insertAudit(tx, { reviewerId, action: 'reviewer.certify' });
        return { id: reviewerId };
      }),
  };
}
