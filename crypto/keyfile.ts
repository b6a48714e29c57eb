// Reviewer key file: JSON, secrets under secretbox with an Argon2id key from the passphrase.
// Public keys are in clear for convenience and checked against the secrets.
import { concatBytes, fromBase64, randomBytes, toBase64, utf8, type Bytes } from './encoding';
import { CryptoError } from './errors';
import { keyId } from './keys';
import type { ReviewerKeys } from './signatures';
import {
  KEY_BYTES,
  SALT_BYTES,
  XNONCE_BYTES,
  argon2id,
  boxPublicFromSecret,
  memzero,
  secretboxDecrypt,
  secretboxEncrypt,
  signKeyPair,
  signSeedOf,
} from './sodium';

export const KEYFILE_FORMAT = 'sori-keyfile';
export const KEYFILE_PWHASH = Object.freeze({ opsLimit: 3, memLimit: 256 * 1024 * 1024 });
/** Refused below this (a tampered or careless file must not make the passphrase cheap to guess). */
export const KEYFILE_PWHASH_FLOOR = Object.freeze({ opsLimit: 2, memLimit: 64 * 1024 * 1024 });
/** Refused above this: a hostile file must not make us allocate or spin without bound. */
const KEYFILE_PWHASH_CEILING = Object.freeze({ opsLimit: 16, memLimit: 1024 * 1024 * 1024 });
const SECRETS_BYTES = 1 + 32 + 32; // 0x01 || X25519 secret key || Ed25519 seed

type Params = { opsLimit: number; memLimit: number };

export interface KeyFileV1 {
  format: typeof KEYFILE_FORMAT;
  v: 1;
  keyId: string;
  publicKeys: { box: string; sign: string };
  kdf: { alg: 'argon2id13'; opsLimit: number; memLimit: number; salt: string };
  nonce: string;
  ciphertext: string;
}

function checkParams(p: Params): void {
  const ok = (x: unknown, lo: number, hi: number): boolean =>
    Number.isSafeInteger(x) && (x as number) >= lo && (x as number) <= hi;
  if (
    !ok(p.opsLimit, KEYFILE_PWHASH_FLOOR.opsLimit, KEYFILE_PWHASH_CEILING.opsLimit) ||
    !ok(p.memLimit, KEYFILE_PWHASH_FLOOR.memLimit, KEYFILE_PWHASH_CEILING.memLimit)
  ) {
    throw new CryptoError(
      'CRYPTO_BAD_FORMAT',
      'key file Argon2id parameters outside the accepted range',
    );
  }
}

/** NFC so the same passphrase typed on macOS (NFD input) and elsewhere gives the same key. */
function passKey(passphrase: string, salt: Bytes, p: Params): Bytes {
  if (typeof passphrase !== 'string' || passphrase.length === 0)
    throw new CryptoError('CRYPTO_BAD_FORMAT', 'empty passphrase');
  return argon2id(KEY_BYTES, utf8(passphrase.normalize('NFC')), salt, p.opsLimit, p.memLimit);
}

/** Deterministic form (salt and nonce given) for test vectors. */
export function encryptKeyFileWith(
  keys: ReviewerKeys,
  passphrase: string,
  params: Params,
  salt: Bytes,
  nonce: Bytes,
): string {
  checkParams(params);
  const key = passKey(passphrase, salt, params);
  const secrets = concatBytes(
    Uint8Array.of(1),
    keys.box.secretKey,
    signSeedOf(keys.sign.secretKey),
  );
  const file: KeyFileV1 = {
    format: KEYFILE_FORMAT,
    v: 1,
    keyId: keyId(keys.box.publicKey),
    publicKeys: { box: toBase64(keys.box.publicKey), sign: toBase64(keys.sign.publicKey) },
    kdf: {
      alg: 'argon2id13',
      opsLimit: params.opsLimit,
      memLimit: params.memLimit,
      salt: toBase64(salt),
    },
    nonce: toBase64(nonce),
    ciphertext: toBase64(secretboxEncrypt(secrets, nonce, key)),
  };
  memzero(secrets);
  memzero(key);
  return JSON.stringify(file, null, 2) + '\n';
}

export function encryptKeyFile(
  keys: ReviewerKeys,
  passphrase: string,
  params: Params = KEYFILE_PWHASH,
): string {
  return encryptKeyFileWith(
    keys,
    passphrase,
    params,
    randomBytes(SALT_BYTES),
    randomBytes(XNONCE_BYTES),
  );
}

export function decryptKeyFile(text: string, passphrase: string): ReviewerKeys {
  const f = parse(text);
  checkParams(f.kdf);
  const key = passKey(passphrase, fromBase64(f.kdf.salt), f.kdf);
  const secrets = secretboxDecrypt(fromBase64(f.ciphertext), fromBase64(f.nonce), key);
  memzero(key);
  if (secrets.length !== SECRETS_BYTES)
    throw new CryptoError('CRYPTO_BAD_FORMAT', 'key file secrets have the wrong size');
  if (secrets[0] !== 1) throw new CryptoError('CRYPTO_UNKNOWN_VERSION', 'key file secrets version');
  const boxSecret = secrets.slice(1, 33);
  const sign = signKeyPair(secrets.slice(33, 65));
  memzero(secrets);
  const box = { publicKey: boxPublicFromSecret(boxSecret), secretKey: boxSecret };
  if (
    toBase64(box.publicKey) !== f.publicKeys.box ||
    toBase64(sign.publicKey) !== f.publicKeys.sign
  ) {
    throw new CryptoError('CRYPTO_BAD_FORMAT', 'key file public keys do not match its secrets');
  }
  return { box, sign };
}

function parse(text: string): KeyFileV1 {
  if (typeof text !== 'string') throw new CryptoError('CRYPTO_BAD_FORMAT', 'key file must be text');
  let f: KeyFileV1;
  try {
    f = JSON.parse(text) as KeyFileV1;
  } catch {
    throw new CryptoError('CRYPTO_BAD_FORMAT', 'key file is not JSON');
  }
  if (typeof f !== 'object' || f === null || f.format !== KEYFILE_FORMAT)
    throw new CryptoError('CRYPTO_BAD_FORMAT', 'not a Sori key file');
  if (f.v !== 1) throw new CryptoError('CRYPTO_UNKNOWN_VERSION', `key file version ${String(f.v)}`);
  const s = (x: unknown): boolean => typeof x === 'string';
  if (
    typeof f.kdf !== 'object' ||
    f.kdf === null ||
    f.kdf.alg !== 'argon2id13' ||
    !s(f.kdf.salt) ||
    !s(f.nonce) ||
    !s(f.ciphertext) ||
    typeof f.publicKeys !== 'object' ||
    f.publicKeys === null ||
    !s(f.publicKeys.box) ||
    !s(f.publicKeys.sign)
  ) {
    throw new CryptoError('CRYPTO_BAD_FORMAT', 'key file is missing fields');
  }
  return f;
}
