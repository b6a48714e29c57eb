import { toHex, verifyEnrolment, type EnrolmentRole } from '../crypto';

// Which reviewer rows the worker believes. Without roots (ENROLMENT_ROOTS unset) every
// non-revoked row is a reviewer, as the database says. With roots, a row counts only if its
// enrolment certificate verifies and its signer is a root or the signing key of an admin row
// that itself counts. A row written straight into the database, or signed by anyone else,
// gets no record key. Revoked rows are never offered here, so the reviewers a revoked admin
// enrolled stop counting too until another admin or a root certifies them again.

export interface EnrolledRow {
  id: string;
  role: string;
  boxPublicKey: Uint8Array;
  signPublicKey: Uint8Array;
  certSigner: Uint8Array | null;
  certSignature: Uint8Array | null;
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
  const rootHex = roots.map(toHex);
  // Signature checks are the cost; a row's verdict holds as long as its bytes do.
  const verdicts = new Map<string, boolean>();
  const certified = (r: EnrolledRow): boolean => {
    if (!r.certSigner || !r.certSignature) return false;
    if (r.role !== 'reviewer' && r.role !== 'admin') return false;
    const key = [r.role, r.boxPublicKey, r.signPublicKey, r.certSigner, r.certSignature]
      .map((p) => (typeof p === 'string' ? p : toHex(p)))
      .join(':');
    let ok = verdicts.get(key);
    if (ok === undefined) {
      const statement = {
        role: r.role as EnrolmentRole,
        boxPublicKey: r.boxPublicKey,
        signPublicKey: r.signPublicKey,
      };
      ok = verifyEnrolment(statement, { signer: r.certSigner, signature: r.certSignature });
      if (verdicts.size >= MAX_CACHED) verdicts.clear();
      verdicts.set(key, ok);
    }
    return ok;
  };

  return {
    enforced: true,
    trusted<T extends EnrolledRow>(rows: readonly T[]): T[] {
      const signers = new Set(rootHex);
      const counted = new Set<T>();
      // A chain may be listed in any order: repeat until no row is added.
      for (let added = true; added;) {
        added = false;
        for (const r of rows) {
          if (counted.has(r) || !r.certSigner || !signers.has(toHex(r.certSigner))) continue;
          if (!certified(r)) continue;
          counted.add(r);
          if (r.role === 'admin') signers.add(toHex(r.signPublicKey));
          added = true;
        }
      }
      return rows.filter((r) => counted.has(r));
    },
  };
}
