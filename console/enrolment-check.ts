import { certifiedReviewers, fromBase64, isCryptoError, parseEnrolmentRoots } from '../crypto';
import type { ReviewerInfo } from './api-types';
import { ConsoleError } from './errors';

// Before a record key is re-sealed to someone, the console can check, against roots it was
// given itself (SORI_ENROLMENT_ROOTS: the same keys as the worker's ENROLMENT_ROOTS), that the
// reviewer's certificate chains to one: the server's directory alone could name any key.

export function enrolmentRoots(env: NodeJS.ProcessEnv = process.env): Uint8Array[] {
  try {
    return parseEnrolmentRoots(env.SORI_ENROLMENT_ROOTS ?? '');
  } catch (err) {
    if (!isCryptoError(err)) throw err;
    throw new ConsoleError(
      'BAD_ENROLMENT_ROOTS',
      'SORI_ENROLMENT_ROOTS holds base64url Ed25519 public keys (32 bytes), comma-separated',
    );
  }
}

const decode = (info: ReviewerInfo) => ({
  info,
  role: info.role,
  boxPublicKey: fromBase64(info.boxPublicKey),
  signPublicKey: fromBase64(info.signPublicKey ?? ''),
  certSigner: info.certificate ? fromBase64(info.certificate.signer) : null,
  certSignature: info.certificate ? fromBase64(info.certificate.signature) : null,
});

/**
 * Throws REVIEWER_NOT_CERTIFIED unless `target` — the very entry whose box key will be used,
 * taken from the same `directory` listing — chains to a root; no roots, no check. Matching the
 * entry itself, not its id, is what stops a directory from pairing a certified id with a key
 * of someone else's.
 */
export function checkCertified(
  target: ReviewerInfo,
  directory: readonly ReviewerInfo[],
  roots: readonly Uint8Array[],
): void {
  if (roots.length === 0) return;
  if (!directory.includes(target)) throw new Error('checkCertified: target not from directory');
  const active = directory.filter((r) => !r.revokedOn && r.signPublicKey).map(decode);
  if (certifiedReviewers(active, roots).some((r) => r.info === target)) return;
  throw new ConsoleError(
    'REVIEWER_NOT_CERTIFIED',
    `${target.name}'s enrolment does not chain to a key in SORI_ENROLMENT_ROOTS; not granted`,
  );
}
