import type { Pool } from 'pg';
import { withTransaction } from '../../../core/db';
import { insertAudit } from '../../../core/repositories/audit.repository';
import { listReviewers } from '../../../core/repositories/admin.repository';
import { listCustodyEntries } from '../../../core/repositories/custody.repository';
import { listServiceKeys } from '../../../core/repositories/service-key.repository';
import { toBase64, toHex } from '../../../crypto';
import type { Caller } from '../auth/auth.service';
import { reviewerView } from '../reviewer-view';

// Public material every reviewer needs: the reviewers' public keys and enrolment certificates
// (to grant a record, checked in the console against its own roots) and the
// custody log with the worker's signing keys (to verify it in the console).

export function createDirectoryService(deps: { pool: Pool }) {
  const { pool } = deps;

  async function reviewers() {
    const rows = await listReviewers(pool);
    return {
      reviewers: rows.map((r) => ({
        ...reviewerView(r),
        revokedOn: r.revokedOn,
        certificate:
          r.certSigner && r.certSignature
            ? { signer: toBase64(r.certSigner), signature: toBase64(r.certSignature) }
            : null,
      })),
    };
  }

  /** Hashes in hex, signatures and keys in base64url; retired signers are kept for old entries. */
  async function custody(caller: Caller, after: number, limit: number) {
    return withTransaction(pool, async (tx) => {
      const entries = await listCustodyEntries(tx, after, limit);
      const signers = await listServiceKeys(tx, 'worker-sign');
      await insertAudit(tx, { reviewerId: caller.reviewerId, action: 'custody.read' });
      return {
        entries: entries.map((e) => ({
          seq: e.seq,
          recordId: e.recordId,
          event: e.event,
          payload: e.payload,
          prevHash: toHex(e.prevHash),
          entryHash: toHex(e.entryHash),
          signerId: e.signerId,
          signature: toBase64(e.signature),
        })),
        signers: signers.map((s) => ({
          id: s.id,
          purpose: s.purpose,
          publicKey: toBase64(s.publicKey),
        })),
      };
    });
  }

  return { reviewers, custody };
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;
