// Wire encodings. base64url without padding is the only base64 on the wire; both decoders are
// strict (alphabet, length, canonical trailing bits) so one value has exactly one spelling.
import { CryptoError, expectBytes } from './errors';
import { MAX_HANDLE_BYTES, pooledRandomHandle } from './random-pool';
import { fromB64, fromHexRaw, randomBuf, toB64, toHexRaw } from './sodium';

export type Bytes = Uint8Array;

const B64URL = /^[A-Za-z0-9_-]*$/;
const HEX = /^(?:[0-9a-f]{2})*$/;

// Encoding is not cryptography: on Node the native Buffer codec does it without a copy into
// the WASM heap (the intake decodes every envelope); the browser uses libsodium's. Both are
// held to the same strict, canonical rules and the same test vectors.
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;

export function toBase64(b: Bytes): string {
  expectBytes(b, 'toBase64 input');
  if (NodeBuffer)
    return NodeBuffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64url');
  return toB64(b);
}

export function fromBase64(s: string): Bytes {
  if (typeof s !== 'string') {
    throw new CryptoError('CRYPTO_BAD_ENCODING', 'not base64url without padding');
  }
  if (NodeBuffer) {
    // Node's decoder skips what it does not know, so the bytes are encoded again and must give
    // back exactly s. That one comparison refuses every other character, '=', whitespace, a
    // length of 4n+1 and non-zero trailing bits (a second spelling of the same bytes), without
    // a separate scan of s: the intake decodes a whole envelope on every request.
    const buf = NodeBuffer.from(s, 'base64url');
    if (buf.toString('base64url') !== s)
      throw new CryptoError('CRYPTO_BAD_ENCODING', 'not canonical base64url');
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  if (!B64URL.test(s) || s.length % 4 === 1) {
    throw new CryptoError('CRYPTO_BAD_ENCODING', 'not base64url without padding');
  }
  try {
    // libsodium also rejects non-zero trailing bits, which keeps the encoding canonical.
    return fromB64(s);
  } catch (e) {
    if (e instanceof CryptoError) throw e;
    throw new CryptoError('CRYPTO_BAD_ENCODING', 'not canonical base64url');
  }
}

export function toHex(b: Bytes): string {
  expectBytes(b, 'toHex input');
  return toHexRaw(b);
}

/** Lower-case hex only: hashes are compared as strings elsewhere, so one spelling per value. */
export function fromHex(s: string): Bytes {
  if (typeof s !== 'string' || !HEX.test(s))
    throw new CryptoError('CRYPTO_BAD_ENCODING', 'not lower-case hex');
  return fromHexRaw(s);
}

export function randomBytes(n: number): Bytes {
  if (!Number.isSafeInteger(n) || n < 0 || n > 1 << 24)
    throw new CryptoError('CRYPTO_BAD_LENGTH', 'bad random length');
  return randomBuf(n);
}

const drawHandle = pooledRandomHandle((pool) => pool.set(randomBuf(pool.length)), toBase64);

/**
 * n random bytes in base64url, for single-use handles such as job tickets: libsodium's CSPRNG,
 * drawn through a 4 KiB pool (random-pool.ts). Never for keys or nonces: use randomBytes.
 */
export function randomHandle(n: number): string {
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_HANDLE_BYTES)
    throw new CryptoError('CRYPTO_BAD_LENGTH', 'bad handle length');
  return drawHandle(n);
}

/** RFC 4122 version 4 UUID from libsodium's CSPRNG (never Math.random). */
export function randomId(): string {
  const b = randomBuf(16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = toHexRaw(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function utf8(s: string): Bytes {
  if (typeof s !== 'string')
    throw new CryptoError('CRYPTO_BAD_FORMAT', 'utf8 input must be a string');
  return encoder.encode(s);
}

export function fromUtf8(b: Bytes): string {
  expectBytes(b, 'fromUtf8 input');
  try {
    return decoder.decode(b);
  } catch {
    throw new CryptoError('CRYPTO_BAD_FORMAT', 'invalid UTF-8');
  }
}

export function concatBytes(...parts: Bytes[]): Bytes {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** 4-byte big-endian length prefix, used to make additional data unambiguous. */
export function lengthPrefixed(s: string): Bytes {
  const b = utf8(s);
  const out = new Uint8Array(4 + b.length);
  new DataView(out.buffer).setUint32(0, b.length, false);
  out.set(b, 4);
  return out;
}
