/**
 * The only file in the project that imports libsodium. Everything else in crypto/ goes through
 * these checked primitives, so a native backend (sodium-native) could replace this file alone
 * and be proven by the same test vectors.
 */
import sodium from 'libsodium-wrappers-sumo';
import { CryptoError, expectBytes, expectLength } from './errors';
import { installRandomPool } from './random-pool';

// Fixed by the protocol; checked against the library at init so a silent mismatch cannot ship.
export const KEY_BYTES = 32;
export const XNONCE_BYTES = 24;
export const AEAD_ABYTES = 16;
export const SEAL_OVERHEAD = 48;
export const SALT_BYTES = 16;
export const SIG_BYTES = 64;
export const SIGN_SECRET_BYTES = 64;
export const STREAM_HEADER_BYTES = 24;
export const STREAM_ABYTES = 17;
export const TAG_MESSAGE = 0;
export const TAG_PUSH = 1;
export const TAG_FINAL = 3;

let readyPromise: Promise<void> | undefined;
let isReady = false;

/** Awaits the WASM module once; safe to call any number of times. */
export async function initCrypto(): Promise<void> {
  readyPromise ??= sodium.ready.then(() => {
    const expected: Array<[number, number]> = [
      [sodium.crypto_aead_xchacha20poly1305_ietf_KEYBYTES, KEY_BYTES],
      [sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, XNONCE_BYTES],
      [sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES, AEAD_ABYTES],
      [sodium.crypto_box_SEALBYTES, SEAL_OVERHEAD],
      [sodium.crypto_pwhash_SALTBYTES, SALT_BYTES],
      [sodium.crypto_sign_BYTES, SIG_BYTES],
      [sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES, STREAM_HEADER_BYTES],
      [sodium.crypto_secretstream_xchacha20poly1305_ABYTES, STREAM_ABYTES],
      [sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL, TAG_FINAL],
      [sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE, TAG_MESSAGE],
      [sodium.crypto_secretstream_xchacha20poly1305_TAG_PUSH, TAG_PUSH],
    ];
    for (const [actual, want] of expected) {
      if (actual !== want) throw new Error(`libsodium constant mismatch: ${actual} !== ${want}`);
    }
    // libsodium.js exposes its Emscripten module as `libsodium` (untyped).
    installRandomPool(
      (sodium as unknown as { libsodium: { getRandomValue?: () => number } }).libsodium,
    );
    isReady = true;
  });
  await readyPromise;
}

function lib(): typeof sodium {
  if (!isReady) throw new CryptoError('CRYPTO_NOT_READY', 'call and await initCrypto() first');
  return sodium;
}

/** libsodium.js signals authentication failure by throwing a plain Error; give it our code. */
function authenticated<T>(what: string, f: () => T | false): T {
  let out: T | false;
  try {
    out = f();
  } catch {
    throw new CryptoError('CRYPTO_DECRYPT_FAILED', `${what}: authentication failed`);
  }
  if (out === false)
    throw new CryptoError('CRYPTO_DECRYPT_FAILED', `${what}: authentication failed`);
  return out;
}

// --- randomness, encoding, hashing ---------------------------------------------------------
export const randomBuf = (n: number): Uint8Array => lib().randombytes_buf(n);
export const randomUniform = (upper: number): number => lib().randombytes_uniform(upper);
export const toB64 = (b: Uint8Array): string =>
  lib().to_base64(b, sodium.base64_variants.URLSAFE_NO_PADDING);
export const fromB64 = (s: string): Uint8Array =>
  lib().from_base64(s, sodium.base64_variants.URLSAFE_NO_PADDING);
export const toHexRaw = (b: Uint8Array): string => lib().to_hex(b);
export const fromHexRaw = (s: string): Uint8Array => lib().from_hex(s);
export const sha256Raw = (b: Uint8Array): Uint8Array => lib().crypto_hash_sha256(b);
export const memzero = (b: Uint8Array): void => lib().memzero(b);

export interface Sha256State {
  update(chunk: Uint8Array): void;
  final(): Uint8Array;
}
export function sha256Init(): Sha256State {
  const s = lib();
  const state = s.crypto_hash_sha256_init();
  return {
    update: (chunk) => s.crypto_hash_sha256_update(state, chunk),
    final: () => s.crypto_hash_sha256_final(state),
  };
}

// --- BLAKE2b (proof of work and its stateless MAC) ----------------------------------------
export function blake2b(outLen: number, m: Uint8Array, key?: Uint8Array): Uint8Array {
  if (key !== undefined) expectLength(key, KEY_BYTES, 'BLAKE2b key');
  return lib().crypto_generichash(outLen, m, key ?? null);
}
/** Constant-time equality of two byte strings (false on differing lengths). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && lib().memcmp(a, b);
}

// --- X25519 / sealed boxes -----------------------------------------------------------------
export function boxKeyPair(seed?: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array } {
  const s = lib();
  if (seed !== undefined) expectLength(seed, 32, 'box seed');
  const kp = seed ? s.crypto_box_seed_keypair(seed) : s.crypto_box_keypair();
  return { publicKey: kp.publicKey, secretKey: kp.privateKey };
}
export function boxPublicFromSecret(secretKey: Uint8Array): Uint8Array {
  expectLength(secretKey, KEY_BYTES, 'box secret key');
  return lib().crypto_scalarmult_base(secretKey);
}
export function boxSeal(message: Uint8Array, publicKey: Uint8Array): Uint8Array {
  expectLength(publicKey, KEY_BYTES, 'box public key');
  return lib().crypto_box_seal(message, publicKey);
}
export function boxSealOpen(
  ct: Uint8Array,
  publicKey: Uint8Array,
  secretKey: Uint8Array,
): Uint8Array {
  expectLength(publicKey, KEY_BYTES, 'box public key');
  expectLength(secretKey, KEY_BYTES, 'box secret key');
  const s = lib();
  return authenticated('sealed box', () => s.crypto_box_seal_open(ct, publicKey, secretKey));
}

// --- KDF, AEAD, secretbox, pwhash ------------------------------------------------------------
export function kdfDerive(key: Uint8Array, subkeyId: number, context: string): Uint8Array {
  expectLength(key, KEY_BYTES, 'kdf master key');
  if (!Number.isSafeInteger(subkeyId) || subkeyId < 0) {
    throw new CryptoError('CRYPTO_BAD_LENGTH', 'subkey id must be a non-negative safe integer');
  }
  if (!/^[\x20-\x7e]{8}$/.test(context)) {
    throw new CryptoError(
      'CRYPTO_BAD_LENGTH',
      'kdf context must be exactly 8 printable ASCII characters',
    );
  }
  return lib().crypto_kdf_derive_from_key(KEY_BYTES, subkeyId, context, key);
}
export function aeadEncrypt(
  m: Uint8Array,
  ad: Uint8Array,
  nonce: Uint8Array,
  key: Uint8Array,
): Uint8Array {
  expectLength(key, KEY_BYTES, 'aead key');
  expectLength(nonce, XNONCE_BYTES, 'aead nonce');
  expectBytes(m, 'plaintext');
  return lib().crypto_aead_xchacha20poly1305_ietf_encrypt(m, ad, null, nonce, key);
}
export function aeadDecrypt(
  c: Uint8Array,
  ad: Uint8Array,
  nonce: Uint8Array,
  key: Uint8Array,
): Uint8Array {
  expectLength(key, KEY_BYTES, 'aead key');
  expectLength(nonce, XNONCE_BYTES, 'aead nonce');
  const s = lib();
  return authenticated('aead', () =>
    s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, c, ad, nonce, key),
  );
}
export function secretboxEncrypt(m: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  expectLength(key, KEY_BYTES, 'secretbox key');
  expectLength(nonce, XNONCE_BYTES, 'secretbox nonce');
  return lib().crypto_secretbox_easy(m, nonce, key);
}
export function secretboxDecrypt(c: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  expectLength(key, KEY_BYTES, 'secretbox key');
  expectLength(nonce, XNONCE_BYTES, 'secretbox nonce');
  const s = lib();
  return authenticated('secretbox', () => s.crypto_secretbox_open_easy(c, nonce, key));
}
export function argon2id(
  len: number,
  password: Uint8Array,
  salt: Uint8Array,
  ops: number,
  mem: number,
): Uint8Array {
  expectLength(salt, SALT_BYTES, 'argon2id salt');
  const s = lib();
  if (!Number.isSafeInteger(ops) || ops < s.crypto_pwhash_OPSLIMIT_MIN || ops > 64) {
    throw new CryptoError('CRYPTO_BAD_LENGTH', 'argon2id opsLimit out of range');
  }
  if (!Number.isSafeInteger(mem) || mem < s.crypto_pwhash_MEMLIMIT_MIN || mem > 2 ** 31) {
    throw new CryptoError('CRYPTO_BAD_LENGTH', 'argon2id memLimit out of range');
  }
  return s.crypto_pwhash(len, password, salt, ops, mem, s.crypto_pwhash_ALG_ARGON2ID13);
}

// --- Ed25519 -------------------------------------------------------------------------------
export function signKeyPair(seed?: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array } {
  const s = lib();
  if (seed !== undefined) expectLength(seed, 32, 'sign seed');
  const kp = seed ? s.crypto_sign_seed_keypair(seed) : s.crypto_sign_keypair();
  return { publicKey: kp.publicKey, secretKey: kp.privateKey };
}
export function signSeedOf(secretKey: Uint8Array): Uint8Array {
  expectLength(secretKey, SIGN_SECRET_BYTES, 'sign secret key');
  return lib().crypto_sign_ed25519_sk_to_seed(secretKey);
}
export function signDetached(m: Uint8Array, secretKey: Uint8Array): Uint8Array {
  expectLength(secretKey, SIGN_SECRET_BYTES, 'sign secret key');
  return lib().crypto_sign_detached(m, secretKey);
}
export function verifyDetached(sig: Uint8Array, m: Uint8Array, publicKey: Uint8Array): boolean {
  expectLength(sig, SIG_BYTES, 'signature');
  expectLength(publicKey, KEY_BYTES, 'sign public key');
  return lib().crypto_sign_verify_detached(sig, m, publicKey);
}

// --- padding -------------------------------------------------------------------------------
export const pad = (b: Uint8Array, block: number): Uint8Array => lib().pad(b, block);
export function unpad(b: Uint8Array, block: number): Uint8Array {
  const s = lib();
  try {
    return s.unpad(b, block);
  } catch {
    throw new CryptoError('CRYPTO_BAD_FORMAT', 'bad padding');
  }
}

// --- secretstream ---------------------------------------------------------------------------
export type StreamState = ReturnType<
  typeof sodium.crypto_secretstream_xchacha20poly1305_init_push
>['state'];
export function streamInitPush(key: Uint8Array): { state: StreamState; header: Uint8Array } {
  expectLength(key, KEY_BYTES, 'secretstream key');
  return lib().crypto_secretstream_xchacha20poly1305_init_push(key);
}
export function streamPush(state: StreamState, m: Uint8Array, tag: number): Uint8Array {
  return lib().crypto_secretstream_xchacha20poly1305_push(state, m, null, tag);
}
export function streamInitPull(header: Uint8Array, key: Uint8Array): StreamState {
  expectLength(key, KEY_BYTES, 'secretstream key');
  expectLength(header, STREAM_HEADER_BYTES, 'secretstream header');
  const s = lib();
  return authenticated('secretstream header', () =>
    s.crypto_secretstream_xchacha20poly1305_init_pull(header, key),
  );
}
export function streamPull(
  state: StreamState,
  c: Uint8Array,
): { message: Uint8Array; tag: number } {
  const s = lib();
  return authenticated('secretstream chunk', () =>
    s.crypto_secretstream_xchacha20poly1305_pull(state, c, null),
  );
}
