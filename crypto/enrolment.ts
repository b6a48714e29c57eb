// Enrolment certificates: who may read new records. An Ed25519 signature by a trusted key over a
// reviewer's role and public keys, so a row written into the database is not an enrolment.
import { concatBytes, fromBase64, toHex, utf8, type Bytes } from './encoding';
import { CryptoError, expectLength } from './errors';
import { KEY_BYTES, SIG_BYTES } from './sodium';
import { sign, verify } from './signatures';

export const ENROLMENT_CONTEXT = 'sori-enrolment-v1';

export type EnrolmentRole = 'reviewer' | 'admin';

const ROLE_BYTE: Record<EnrolmentRole, number> = { reviewer: 1, admin: 2 };
const isRole = (role: string): role is EnrolmentRole => Object.hasOwn(ROLE_BYTE, role);

export interface EnrolmentStatement {
  role: EnrolmentRole;
  boxPublicKey: Bytes;
  signPublicKey: Bytes;
}

export interface EnrolmentCertificate {
  /** The Ed25519 public key that signed. */
  signer: Bytes;
  signature: Bytes;
}

/** "sori-enrolment-v1" || role (1 reviewer, 2 admin) || box public key (32) || sign public key (32). */
export function enrolmentMessage(s: EnrolmentStatement): Bytes {
  const role = isRole(s.role) ? ROLE_BYTE[s.role] : undefined;
  if (role === undefined) throw new CryptoError('CRYPTO_BAD_FORMAT', 'unknown enrolment role');
  expectLength(s.boxPublicKey, KEY_BYTES, 'box public key');
  expectLength(s.signPublicKey, KEY_BYTES, 'sign public key');
  return concatBytes(utf8(ENROLMENT_CONTEXT), Uint8Array.of(role), s.boxPublicKey, s.signPublicKey);
}

export function signEnrolment(
  s: EnrolmentStatement,
  signer: { publicKey: Bytes; secretKey: Bytes },
): EnrolmentCertificate {
  return { signer: signer.publicKey, signature: sign(enrolmentMessage(s), signer.secretKey) };
}

/** false for a certificate that does not cover this statement; never throws on bad lengths. */
export function verifyEnrolment(s: EnrolmentStatement, c: EnrolmentCertificate): boolean {
  if (c.signer.length !== KEY_BYTES || c.signature.length !== SIG_BYTES) return false;
  try {
    return verify(c.signature, enrolmentMessage(s), c.signer);
  } catch (err) {
    if (err instanceof CryptoError) return false;
    throw err;
  }
}

/** A reviewer as the chain rule sees it: role, keys and the certificate stored with them. */
export interface CertifiedReviewer {
  role: string;
  boxPublicKey: Bytes;
  signPublicKey: Bytes;
  certSigner: Bytes | null;
  certSignature: Bytes | null;
}

/** Whether one row's certificate covers its role and keys (the worker caches these). */
export function certificateHolds(r: CertifiedReviewer): boolean {
  if (!r.certSigner || !r.certSignature) return false;
  const role = r.role;
  if (!isRole(role)) return false;
  const statement = { role, boxPublicKey: r.boxPublicKey, signPublicKey: r.signPublicKey };
  return verifyEnrolment(statement, { signer: r.certSigner, signature: r.certSignature });
}

/**
 * certificateHolds with its verdicts remembered: signature checks are the cost, and a row's
 * verdict holds as long as its bytes do (role, keys and certificate are the cache key).
 */
export function cachedCertificateCheck(maxCached = 10_000): (r: CertifiedReviewer) => boolean {
  const verdicts = new Map<string, boolean>();
  return (r) => {
    const parts = [r.boxPublicKey, r.signPublicKey, r.certSigner, r.certSignature];
    const key = [r.role, ...parts.map((p) => (p ? toHex(p) : '-'))].join(':');
    let ok = verdicts.get(key);
    if (ok === undefined) {
      ok = certificateHolds(r);
      if (verdicts.size >= maxCached) verdicts.clear();
      verdicts.set(key, ok);
    }
    return ok;
  };
}

/**
 * The chain rule: of `rows` (the non-revoked reviewers), those whose certificate holds and was
 * signed by a root or by the signing key of an admin among the rows that count. Rows may come
 * in any order; the result keeps theirs.
 */
export function certifiedReviewers<T extends CertifiedReviewer>(
  rows: readonly T[],
  roots: readonly Bytes[],
  holds: (r: T) => boolean = certificateHolds,
): T[] {
  const signers = new Set(roots.map(toHex));
  const counted = new Set<T>();
  for (let added = true; added;) {
    added = false;
    for (const r of rows) {
      if (counted.has(r) || !r.certSigner || !signers.has(toHex(r.certSigner))) continue;
      if (!holds(r)) continue;
      counted.add(r);
      if (r.role === 'admin') signers.add(toHex(r.signPublicKey));
      added = true;
    }
  }
  return rows.filter((r) => counted.has(r));
}

/**
 * Root keys as an operator writes them (ENROLMENT_ROOTS, SORI_ENROLMENT_ROOTS): base64url
 * Ed25519 public keys separated by commas or whitespace. Blank text is no roots; any other text
 * must hold keys, every one well formed, so a typo cannot switch the check off. Throws
 * CRYPTO_BAD_ENCODING, CRYPTO_BAD_LENGTH, or CRYPTO_BAD_FORMAT (text but no key).
 */
export function parseEnrolmentRoots(text: string): Bytes[] {
  const roots = text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((value) => {
      const key = fromBase64(value);
      if (key.length !== KEY_BYTES)
        throw new CryptoError('CRYPTO_BAD_LENGTH', 'a root is not a 32-byte Ed25519 public key');
      return key;
    });
  if (roots.length === 0 && text.trim() !== '')
    throw new CryptoError('CRYPTO_BAD_FORMAT', 'no root key in the text');
  return roots;
}
