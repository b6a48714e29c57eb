// The checked primitives every other file in crypto/ calls, on the build initCrypto() chose.
// Every key, nonce and parameter is checked here, so both builds refuse bad input alike.
import type { BackendName, Sha256State, SodiumBackend, StreamState } from './backend';
import { CryptoError, expectBytes, expectLength } from './errors';

export type { StreamState } from './backend';

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

/** Which build runs, and why not the native one when Node asked for it and could not load it. */
export interface CryptoBackendInfo {
  name: BackendName;
  fallbackReason?: string;
}
export type BackendLoader = () => Promise<{ backend: SodiumBackend; fallbackReason?: string }>;

const loadWasm: BackendLoader = async () => ({
  backend: await (await import('./sodium-wasm')).loadWasmBackend(),
});
let loader: BackendLoader = loadWasm;
let readyPromise: Promise<void> | undefined;
let active: SodiumBackend | undefined;
let info: CryptoBackendInfo | undefined;

/**
 * How initCrypto() finds its backend; backend-node.ts sets it for Node processes (the browser
 * keeps the WASM default). Only before the first initCrypto(): a process never switches builds.
 */
export function setBackendLoader(next: BackendLoader): void {
  if (readyPromise) throw new CryptoError('CRYPTO_BACKEND_UNAVAILABLE', 'crypto already started');
  loader = next;
}

function checkConstants(b: SodiumBackend): void {
  const c = b.constants;
  const expected: Array<[number, number, string]> = [
    [c.aeadKeyBytes, KEY_BYTES, 'aead key'],
    [c.aeadNonceBytes, XNONCE_BYTES, 'aead nonce'],
    [c.aeadABytes, AEAD_ABYTES, 'aead tag'],
    [c.sealBytes, SEAL_OVERHEAD, 'seal overhead'],
    [c.pwhashSaltBytes, SALT_BYTES, 'pwhash salt'],
    [c.signBytes, SIG_BYTES, 'signature'],
    [c.streamHeaderBytes, STREAM_HEADER_BYTES, 'secretstream header'],
    [c.streamABytes, STREAM_ABYTES, 'secretstream overhead'],
    [c.tagFinal, TAG_FINAL, 'TAG_FINAL'],
    [c.tagMessage, TAG_MESSAGE, 'TAG_MESSAGE'],
    [c.tagPush, TAG_PUSH, 'TAG_PUSH'],
  ];
  for (const [actual, want, what] of expected) {
    if (actual !== want)
      throw new Error(`libsodium (${b.name}) constant mismatch, ${what}: ${actual} !== ${want}`);
  }
}

/** Loads the backend once; safe to call any number of times. */
export async function initCrypto(): Promise<void> {
  readyPromise ??= loader().then(({ backend, fallbackReason }) => {
    checkConstants(backend);
    active = backend;
    info =
      fallbackReason === undefined
        ? { name: backend.name }
        : { name: backend.name, fallbackReason };
  });
  await readyPromise;
}

/** The build initCrypto() chose (for the start-up log line). */
export function cryptoBackend(): CryptoBackendInfo {
  if (!info) throw new CryptoError('CRYPTO_NOT_READY', 'call and await initCrypto() first');
  return { ...info };
}

function lib(): SodiumBackend {
  if (!active) throw new CryptoError('CRYPTO_NOT_READY', 'call and await initCrypto() first');
  return active;
}

/** Both backends answer a failed authentication with null; give it our code. */
function authenticated<T>(what: string, out: T | null): T {
  if (out === null)
    throw new CryptoError('CRYPTO_DECRYPT_FAILED', `${what}: authentication failed`);
  return out;
}

// --- randomness, encoding, hashing ---------------------------------------------------------
export const randomBuf = (n: number): Uint8Array => lib().randomBytes(n);
export function randomUniform(upper: number): number {
  if (!Number.isInteger(upper) || upper < 1 || upper > 0x7fffffff)
    throw new CryptoError('CRYPTO_BAD_LENGTH', 'random upper bound out of range');
  return lib().randomUniform(upper);
}
export const toB64 = (b: Uint8Array): string => lib().toBase64(b);
export const fromB64 = (s: string): Uint8Array => lib().fromBase64(s);
export const toHexRaw = (b: Uint8Array): string => lib().toHex(b);
export const fromHexRaw = (s: string): Uint8Array => lib().fromHex(s);
export function sha256Raw(b: Uint8Array): Uint8Array {
  expectBytes(b, 'sha256 input');
  return lib().sha256(b);
}
export const memzero = (b: Uint8Array): void => lib().memzero(b);
export function sha256Init(): Sha256State {
  const state = lib().sha256Init();
  return {
    update(chunk) {
      expectBytes(chunk, 'sha256 input');
      state.update(chunk);
    },
    final: () => state.final(),
  };
}

// --- BLAKE2b (proof of work and its stateless MAC) ----------------------------------------
export function blake2b(outLen: number, m: Uint8Array, key?: Uint8Array): Uint8Array {
  if (key !== undefined) expectLength(key, KEY_BYTES, 'BLAKE2b key');
  if (!Number.isInteger(outLen) || outLen < 16 || outLen > 64)
    throw new CryptoError('CRYPTO_BAD_LENGTH', 'BLAKE2b output must be 16 to 64 bytes');
  expectBytes(m, 'BLAKE2b input');
  return lib().blake2b(outLen, m, key ?? null);
}
/** Constant-time equality of two byte strings (false on differing lengths). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  expectBytes(a, 'compared bytes');
  expectBytes(b, 'compared bytes');
  return a.length === b.length && lib().memcmp(a, b);
}

// --- X25519 / sealed boxes -----------------------------------------------------------------
export function boxKeyPair(seed?: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array } {
  if (seed !== undefined) expectLength(seed, 32, 'box seed');
  return lib().boxKeyPair(seed);
}
export function boxPublicFromSecret(secretKey: Uint8Array): Uint8Array {
  expectLength(secretKey, KEY_BYTES, 'box secret key');
  return lib().scalarMultBase(secretKey);
}
export function boxSeal(message: Uint8Array, publicKey: Uint8Array): Uint8Array {
  expectLength(publicKey, KEY_BYTES, 'box public key');
  expectBytes(message, 'sealed box message');
  return lib().boxSeal(message, publicKey);
}
export function boxEasy(m: Uint8Array, n: Uint8Array, pk: Uint8Array, sk: Uint8Array): Uint8Array {
  for (const k of [pk, sk]) expectLength(k, KEY_BYTES, 'box key'); // n: BLAKE2b-24, keys.ts
  return lib().boxEasy(m, n, pk, sk);
}
export function boxSealOpen(
  ct: Uint8Array,
  publicKey: Uint8Array,
  secretKey: Uint8Array,
): Uint8Array {
  expectLength(publicKey, KEY_BYTES, 'box public key');
  expectLength(secretKey, KEY_BYTES, 'box secret key');
  expectBytes(ct, 'sealed box');
  return authenticated('sealed box', lib().boxSealOpen(ct, publicKey, secretKey));
}

// --- KDF, AEAD, secretbox, pwhash ------------------------------------------------------------
/** Sub-key ids up to 2^31 - 1: the most libsodium.js takes as a number (ids here are small). */
export const MAX_SUBKEY_ID = 0x7fffffff;
export function kdfDerive(key: Uint8Array, subkeyId: number, context: string): Uint8Array {
  expectLength(key, KEY_BYTES, 'kdf master key');
  if (!Number.isSafeInteger(subkeyId) || subkeyId < 0 || subkeyId > MAX_SUBKEY_ID) {
    throw new CryptoError('CRYPTO_BAD_LENGTH', 'subkey id must be an integer in [0, 2^31 - 1]');
  }
  if (typeof context !== 'string' || !/^[\x20-\x7e]{8}$/.test(context)) {
    throw new CryptoError(
      'CRYPTO_BAD_LENGTH',
      'kdf context must be exactly 8 printable ASCII characters',
    );
  }
  return lib().kdfDerive(key, subkeyId, context);
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
  expectBytes(ad, 'additional data');
  return lib().aeadEncrypt(m, ad, nonce, key);
}
export function aeadDecrypt(
  c: Uint8Array,
  ad: Uint8Array,
  nonce: Uint8Array,
  key: Uint8Array,
): Uint8Array {
  expectLength(key, KEY_BYTES, 'aead key');
  expectLength(nonce, XNONCE_BYTES, 'aead nonce');
  expectBytes(c, 'ciphertext');
  expectBytes(ad, 'additional data');
  return authenticated('aead', lib().aeadDecrypt(c, ad, nonce, key));
}
export function secretboxEncrypt(m: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  expectLength(key, KEY_BYTES, 'secretbox key');
  expectLength(nonce, XNONCE_BYTES, 'secretbox nonce');
  expectBytes(m, 'plaintext');
  return lib().secretboxEncrypt(m, nonce, key);
}
export function secretboxDecrypt(c: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  expectLength(key, KEY_BYTES, 'secretbox key');
  expectLength(nonce, XNONCE_BYTES, 'secretbox nonce');
  expectBytes(c, 'ciphertext');
  return authenticated('secretbox', lib().secretboxDecrypt(c, nonce, key));
}
export function argon2id(
  len: number,
  password: Uint8Array,
  salt: Uint8Array,
  ops: number,
  mem: number,
): Uint8Array {
  expectLength(salt, SALT_BYTES, 'argon2id salt');
  expectBytes(password, 'argon2id password');
  const s = lib();
  if (!Number.isSafeInteger(len) || len < 16 || len > 1024) {
    throw new CryptoError('CRYPTO_BAD_LENGTH', 'argon2id output length out of range');
  }
  if (!Number.isSafeInteger(ops) || ops < s.constants.pwhashOpsLimitMin || ops > 64) {
    throw new CryptoError('CRYPTO_BAD_LENGTH', 'argon2id opsLimit out of range');
  }
  if (!Number.isSafeInteger(mem) || mem < s.constants.pwhashMemLimitMin || mem > 2 ** 31) {
    throw new CryptoError('CRYPTO_BAD_LENGTH', 'argon2id memLimit out of range');
  }
  return s.argon2id(len, password, salt, ops, mem);
}

// --- Ed25519 -------------------------------------------------------------------------------
export function signKeyPair(seed?: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array } {
  if (seed !== undefined) expectLength(seed, 32, 'sign seed');
  return lib().signKeyPair(seed);
}
export function signSeedOf(secretKey: Uint8Array): Uint8Array {
  expectLength(secretKey, SIGN_SECRET_BYTES, 'sign secret key');
  return lib().signSeedOf(secretKey);
}
export function signDetached(m: Uint8Array, secretKey: Uint8Array): Uint8Array {
  expectLength(secretKey, SIGN_SECRET_BYTES, 'sign secret key');
  expectBytes(m, 'signed message');
  return lib().signDetached(m, secretKey);
}
export function verifyDetached(sig: Uint8Array, m: Uint8Array, publicKey: Uint8Array): boolean {
  expectLength(sig, SIG_BYTES, 'signature');
  expectLength(publicKey, KEY_BYTES, 'sign public key');
  expectBytes(m, 'signed message');
  return lib().verifyDetached(sig, m, publicKey);
}

// --- padding -------------------------------------------------------------------------------
function checkBlock(block: number): void {
  if (!Number.isInteger(block) || block < 1 || block > 1 << 20)
    throw new CryptoError('CRYPTO_BAD_LENGTH', 'padding block size out of range');
}
export function pad(b: Uint8Array, block: number): Uint8Array {
  checkBlock(block);
  expectBytes(b, 'padded input');
  return lib().pad(b, block);
}
export function unpad(b: Uint8Array, block: number): Uint8Array {
  checkBlock(block);
  expectBytes(b, 'padded input');
  const out = lib().unpad(b, block);
  if (out === null) throw new CryptoError('CRYPTO_BAD_FORMAT', 'bad padding');
  return out;
}

// --- secretstream ---------------------------------------------------------------------------
export function streamInitPush(key: Uint8Array): { state: StreamState; header: Uint8Array } {
  expectLength(key, KEY_BYTES, 'secretstream key');
  return lib().streamInitPush(key);
}
export function streamPush(state: StreamState, m: Uint8Array, tag: number): Uint8Array {
  return lib().streamPush(state, m, tag);
}
export function streamInitPull(header: Uint8Array, key: Uint8Array): StreamState {
  expectLength(key, KEY_BYTES, 'secretstream key');
  expectLength(header, STREAM_HEADER_BYTES, 'secretstream header');
  return authenticated('secretstream header', lib().streamInitPull(header, key));
}
export function streamPull(
  state: StreamState,
  c: Uint8Array,
): { message: Uint8Array; tag: number } {
  return authenticated('secretstream chunk', lib().streamPull(state, c));
}
