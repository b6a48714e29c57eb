/** X25519 key pairs, their ids and fingerprints, sealed content keys and sub-keys. */
import { concatBytes, toBase64, toHex, utf8, type Bytes } from './encoding';
import { CryptoError, expectLength } from './errors';
import { sha256 } from './hash';
import {
  KEY_BYTES,
  SEAL_OVERHEAD,
  boxKeyPair,
  blake2b,
  boxEasy,
  boxSeal,
  boxSealOpen,
  kdfDerive,
  memzero,
} from './sodium';

export const VERSION_1 = 0x01;
/** 0x01 || crypto_box_seal(32-byte key): 1 + 48 + 32. */
export const SEALED_KEY_BYTES = 1 + SEAL_OVERHEAD + KEY_BYTES;

export interface BoxKeyPair {
  publicKey: Bytes;
  secretKey: Bytes;
}

/** KDF contexts (exactly 8 characters each); a sub-key is (context, id) of its parent key. */
export const KDF = {
  manifest: { context: 'sori-man', id: 1 },
  attachment: { context: 'sori-att' }, // id = the attachment's subkeyId (>= 1)
  recordBody: { context: 'sori-rec', id: 1 },
  recordEntries: { context: 'sori-ent', id: 1 },
  reply: { context: 'sori-rpl', id: 1 },
  sourceSeed: { context: 'sori-src', id: 1 },
  sourceToken: { context: 'sori-src', id: 2 },
} as const;

export function generateBoxKeyPair(seed?: Bytes): BoxKeyPair {
  return boxKeyPair(seed);
}

/** Short id the server can index and show; the tag keeps it distinct from any other hash of pk. */
export function keyId(publicKey: Bytes): string {
  expectLength(publicKey, KEY_BYTES, 'public key');
  return 'k1_' + toBase64(sha256(concatBytes(utf8('sori-key-id-v1'), publicKey)).subarray(0, 12));
}

/** Plain SHA-256 of the key so anyone can re-check it with sha256sum; 128 bits shown. */
export function fingerprint(publicKey: Bytes): string {
  expectLength(publicKey, KEY_BYTES, 'public key');
  const hex = toHex(sha256(publicKey).subarray(0, 16));
  return (hex.match(/.{4}/g) ?? []).join(' ');
}

export function sealKey(key32: Bytes, recipientPublicKey: Bytes): Bytes {
  expectLength(key32, KEY_BYTES, 'key to seal');
  return concatBytes(Uint8Array.of(VERSION_1), boxSeal(key32, recipientPublicKey));
}

/**
 * sealKey to each recipient, in order: byte for byte a crypto_box_seal as libsodium builds one
 * (ephemeral pk || crypto_box_easy under nonce BLAKE2b-24(ephemeral pk || recipient pk)), with
 * one ephemeral key pair for all the copies: one X25519 base multiplication, not one per copy.
 */
export function sealKeyToMany(key32: Bytes, recipientPublicKeys: readonly Bytes[]): Bytes[] {
  expectLength(key32, KEY_BYTES, 'key to seal');
  for (const pk of recipientPublicKeys) expectLength(pk, KEY_BYTES, 'box public key');
  const eph = boxKeyPair();
  const noncePrefix = new Uint8Array(2 * KEY_BYTES);
  noncePrefix.set(eph.publicKey);
  try {
    return recipientPublicKeys.map((pk) => {
      noncePrefix.set(pk, KEY_BYTES);
      const body = boxEasy(key32, blake2b(24, noncePrefix), pk, eph.secretKey);
      return concatBytes(Uint8Array.of(VERSION_1), eph.publicKey, body);
    });
  } finally {
    memzero(eph.secretKey);
  }
}

export function openSealedKey(sealed: Bytes, recipient: BoxKeyPair): Bytes {
  checkVersionedBlob(sealed, SEALED_KEY_BYTES, 'sealed key');
  if (sealed.length !== SEALED_KEY_BYTES) {
    throw new CryptoError('CRYPTO_BAD_LENGTH', `sealed key must be ${SEALED_KEY_BYTES} bytes`);
  }
  const key = boxSealOpen(sealed.subarray(1), recipient.publicKey, recipient.secretKey);
  expectLength(key, KEY_BYTES, 'sealed key content');
  return key;
}

export function deriveSubKey(key32: Bytes, subkeyId: number, context: string): Bytes {
  return kdfDerive(key32, subkeyId, context);
}

/**
 * Shared header check for every binary blob: not a Uint8Array -> BAD_FORMAT, empty -> TRUNCATED,
 * version byte other than 0x01 -> UNKNOWN_VERSION, shorter than `minLength` -> TRUNCATED.
 */
export function checkVersionedBlob(
  blob: unknown,
  minLength: number,
  what: string,
): asserts blob is Uint8Array {
  if (!(blob instanceof Uint8Array))
    throw new CryptoError('CRYPTO_BAD_FORMAT', `${what} must be a Uint8Array`);
  if (blob.length === 0) throw new CryptoError('CRYPTO_TRUNCATED', `${what} is empty`);
  if (blob[0] !== VERSION_1)
    throw new CryptoError('CRYPTO_UNKNOWN_VERSION', `${what} version ${blob[0]}`);
  if (blob.length < minLength)
    throw new CryptoError('CRYPTO_TRUNCATED', `${what} is shorter than ${minLength} bytes`);
}
