// Hashcash proof of work over BLAKE2b against floods of anonymous submissions. The server MACs
// each challenge, so it stores nothing until a solution is spent; browser and console share this.
import {
  concatBytes,
  fromBase64,
  lengthPrefixed,
  randomBytes,
  toBase64,
  toHex,
  utf8,
  type Bytes,
} from './encoding';
import { CryptoError } from './errors';
import { blake2b, bytesEqual, KEY_BYTES } from './sodium';

export const POW_CHALLENGE_BYTES = 22; // 0x01 || salt(16) || u8 difficulty || u32be expires
export const POW_MAC_BYTES = 32;
export const POW_NONCE_BYTES = 8;
export const POW_MAX_DIFFICULTY = 32;

const SOLVE_PREFIX = utf8('sori-pow-v1');
const MAC_PREFIX = utf8('sori-pow-mac-v1');
const ID_PREFIX = utf8('sori-pow-id-v1');
const COUNTER_PREFIX = utf8('sori-abuse-counter-v1');

export interface PowChallenge {
  v: 1;
  salt: Bytes;
  /** Leading zero bits the solution hash must have. */
  difficulty: number;
  /** Unix seconds, a whole minute: a coarse time cannot single a client out. */
  expires: number;
}

export function encodePowChallenge(c: PowChallenge): Bytes {
  if (c.v !== 1) throw new CryptoError('CRYPTO_UNKNOWN_VERSION', 'pow challenge version');
  if (!(c.salt instanceof Uint8Array) || c.salt.length !== 16)
    throw new CryptoError('CRYPTO_BAD_LENGTH', 'pow salt must be 16 bytes');
  if (!Number.isInteger(c.difficulty) || c.difficulty < 0 || c.difficulty > POW_MAX_DIFFICULTY)
    throw new CryptoError('CRYPTO_BAD_FORMAT', 'pow difficulty out of range');
  if (!Number.isInteger(c.expires) || c.expires < 0 || c.expires > 0xffffffff)
    throw new CryptoError('CRYPTO_BAD_FORMAT', 'pow expiry out of range');
  const out = new Uint8Array(POW_CHALLENGE_BYTES);
  out[0] = 1;
  out.set(c.salt, 1);
  out[17] = c.difficulty;
  new DataView(out.buffer).setUint32(18, c.expires, false);
  return out;
}

export function decodePowChallenge(b: Bytes): PowChallenge {
  if (!(b instanceof Uint8Array) || b.length !== POW_CHALLENGE_BYTES)
    throw new CryptoError(
      'CRYPTO_BAD_LENGTH',
      `pow challenge must be ${POW_CHALLENGE_BYTES} bytes`,
    );
  if (b[0] !== 1) throw new CryptoError('CRYPTO_UNKNOWN_VERSION', 'pow challenge version');
  const difficulty = b[17] ?? 0;
  if (difficulty > POW_MAX_DIFFICULTY)
    throw new CryptoError('CRYPTO_BAD_FORMAT', 'pow difficulty out of range');
  const expires = new DataView(b.buffer, b.byteOffset, b.length).getUint32(18, false);
  return { v: 1, salt: b.slice(1, 17), difficulty, expires };
}

function checkServerKey(key: Bytes): void {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES)
    throw new CryptoError('CRYPTO_BAD_LENGTH', `pow server key must be ${KEY_BYTES} bytes`);
}

/** BLAKE2b-256 keyed with the server key over "sori-pow-mac-v1" || challenge. */
export function powMac(serverKey: Bytes, challenge: Bytes): Bytes {
  checkServerKey(serverKey);
  return blake2b(POW_MAC_BYTES, concatBytes(MAC_PREFIX, challenge), serverKey);
}

/** A fresh challenge (random salt) and its MAC. */
export function issuePow(
  serverKey: Bytes,
  difficulty: number,
  expires: number,
): { challenge: Bytes; mac: Bytes } {
  const challenge = encodePowChallenge({ v: 1, salt: randomBytes(16), difficulty, expires });
  return { challenge, mac: powMac(serverKey, challenge) };
}

/** BLAKE2b-256("sori-pow-v1" || challenge || nonce), nonce = u64be. */
export function powHash(challenge: Bytes, nonce: Bytes): Bytes {
  if (nonce.length !== POW_NONCE_BYTES)
    throw new CryptoError('CRYPTO_BAD_LENGTH', `pow nonce must be ${POW_NONCE_BYTES} bytes`);
  return blake2b(32, concatBytes(SOLVE_PREFIX, challenge, nonce));
}

export function leadingZeroBits(h: Bytes): number {
  let bits = 0;
  for (const byte of h) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/** The identity of a challenge for replay bookkeeping: a hash, nothing about the client. */
export function powChallengeId(challenge: Bytes): string {
  return toHex(blake2b(16, concatBytes(ID_PREFIX, challenge)));
}

/**
 * Names an anti-abuse counter (e.g. a source token hash's hourly budget): BLAKE2b-128 keyed
 * with the server key, so a Redis dump alone cannot be matched to tokens or their hashes.
 */
export function abuseCounterId(serverKey: Bytes, label: string, data: Bytes): string {
  checkServerKey(serverKey);
  return toHex(blake2b(16, concatBytes(COUNTER_PREFIX, lengthPrefixed(label), data), serverKey));
}

/** Tries nonces [start, start + count): the nonce found, or null. Synchronous; see solvePow. */
export function solvePowRange(challenge: Bytes, start: number, count: number): Bytes | null {
  const { difficulty } = decodePowChallenge(challenge);
  const msg = concatBytes(SOLVE_PREFIX, challenge, new Uint8Array(POW_NONCE_BYTES));
  const view = new DataView(msg.buffer, msg.length - POW_NONCE_BYTES);
  for (let n = start; n < start + count && n <= Number.MAX_SAFE_INTEGER; n++) {
    view.setUint32(0, Math.floor(n / 2 ** 32), false);
    view.setUint32(4, n >>> 0, false);
    if (leadingZeroBits(blake2b(32, msg)) >= difficulty) return msg.slice(-POW_NONCE_BYTES);
  }
  return null;
}

/**
 * Finds a nonce, yielding to the event loop every `batch` attempts so a page stays responsive
 * (expected 2^difficulty attempts: 16 bits is well under a second in WASM on a laptop, 22 bits
 * ~64× that — tens of seconds on a cheap phone). Abort with `signal`.
 */
export async function solvePow(
  challenge: Bytes,
  options: { batch?: number; signal?: AbortSignal; onProgress?: (tried: number) => void } = {},
): Promise<Bytes> {
  const batch = options.batch ?? 8192;
  for (let start = 0; start <= Number.MAX_SAFE_INTEGER; start += batch) {
    options.signal?.throwIfAborted(); // the caller's own abort reason, not a crypto failure
    const nonce = solvePowRange(challenge, start, batch);
    if (nonce) return nonce;
    options.onProgress?.(start + batch);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  throw new CryptoError('CRYPTO_BAD_FORMAT', 'pow nonce space exhausted');
}

export type PowVerdict =
  { ok: true; challenge: PowChallenge; id: string } | { ok: false; reason: 'invalid' | 'expired' };

/** Checks MAC (constant time), version, expiry and work; never throws on hostile input. */
export function verifyPow(
  challenge: Bytes,
  mac: Bytes,
  nonce: Bytes,
  serverKey: Bytes,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): PowVerdict {
  checkServerKey(serverKey);
  if (challenge.length !== POW_CHALLENGE_BYTES || nonce.length !== POW_NONCE_BYTES)
    return { ok: false, reason: 'invalid' };
  if (!bytesEqual(powMac(serverKey, challenge), mac)) return { ok: false, reason: 'invalid' };
  let c: PowChallenge;
  try {
    c = decodePowChallenge(challenge);
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (c.expires <= nowSeconds) return { ok: false, reason: 'expired' };
  if (leadingZeroBits(powHash(challenge, nonce)) < c.difficulty)
    return { ok: false, reason: 'invalid' };
  return { ok: true, challenge: c, id: powChallengeId(challenge) };
}

/** The `Sori-Pow` header value: `<challenge>.<mac>.<nonce>`, each base64url. */
export function formatPowHeader(s: { challenge: Bytes; mac: Bytes; nonce: Bytes }): string {
  return `${toBase64(s.challenge)}.${toBase64(s.mac)}.${toBase64(s.nonce)}`;
}

/** Parses a `Sori-Pow` header; throws CRYPTO_BAD_ENCODING / CRYPTO_BAD_FORMAT. */
export function parsePowHeader(value: string): { challenge: Bytes; mac: Bytes; nonce: Bytes } {
  const parts = value.split('.');
  if (parts.length !== 3) throw new CryptoError('CRYPTO_BAD_FORMAT', 'Sori-Pow has three parts');
  const [challenge, mac, nonce] = parts.map((p) => fromBase64(p)) as [Bytes, Bytes, Bytes];
  return { challenge, mac, nonce };
}
