/** Ed25519 for reviewer login and the custody log. Every signed message starts with a context tag. */
import { concatBytes, utf8, type Bytes } from './encoding';
import { CryptoError, expectBytes } from './errors';
import { generateBoxKeyPair, type BoxKeyPair } from './keys';
import { signDetached, signKeyPair, verifyDetached } from './sodium';

export interface SignKeyPair {
  publicKey: Bytes;
  secretKey: Bytes; // 64 bytes: libsodium's seed || public key
}

export interface ReviewerKeys {
  box: BoxKeyPair;
  sign: SignKeyPair;
}

export const LOGIN_CONTEXT = 'sori-login-v1';
/** Challenge nonces are chosen by the server; bounds keep a signature from covering arbitrary data. */
export const CHALLENGE_MIN_BYTES = 16;
export const CHALLENGE_MAX_BYTES = 64;

export function generateSignKeyPair(seed?: Bytes): SignKeyPair {
  return signKeyPair(seed);
}

export function generateReviewerKeys(): ReviewerKeys {
  return { box: generateBoxKeyPair(), sign: generateSignKeyPair() };
}

export function sign(message: Bytes, secretKey: Bytes): Bytes {
  expectBytes(message, 'message');
  return signDetached(message, secretKey);
}

/** false for a well-formed signature that does not verify; CRYPTO_BAD_LENGTH for malformed inputs. */
export function verify(signature: Bytes, message: Bytes, publicKey: Bytes): boolean {
  expectBytes(message, 'message');
  return verifyDetached(signature, message, publicKey);
}

export function verifyOrThrow(signature: Bytes, message: Bytes, publicKey: Bytes): void {
  if (!verify(signature, message, publicKey))
    throw new CryptoError('CRYPTO_BAD_SIGNATURE', 'signature does not verify');
}

function challengeMessage(nonce: Bytes): Bytes {
  expectBytes(nonce, 'challenge nonce');
  if (nonce.length < CHALLENGE_MIN_BYTES || nonce.length > CHALLENGE_MAX_BYTES) {
    throw new CryptoError(
      'CRYPTO_BAD_LENGTH',
      `challenge nonce must be ${CHALLENGE_MIN_BYTES}..${CHALLENGE_MAX_BYTES} bytes`,
    );
  }
  return concatBytes(utf8(LOGIN_CONTEXT), nonce);
}

/** Signs LOGIN_CONTEXT || nonce, so a login signature can never be replayed as a custody signature. */
export function signChallenge(nonce: Bytes, secretKey: Bytes): Bytes {
  return signDetached(challengeMessage(nonce), secretKey);
}

export function verifyChallenge(sig: Bytes, nonce: Bytes, publicKey: Bytes): boolean {
  return verifyDetached(sig, challengeMessage(nonce), publicKey);
}
