// Receipts: 20 random decimal digits (~66.4 bits), the source's only credential. Argon2id over
// them (fixed salt: nothing else may be needed) yields the source's key pair and a token.
import { concatBytes, utf8, type Bytes } from './encoding';
import { CryptoError, expectLength } from './errors';
import { sha256 } from './hash';
import { KDF, generateBoxKeyPair, type BoxKeyPair } from './keys';
import { KEY_BYTES, argon2id, kdfDerive, randomUniform } from './sodium';

export const RECEIPT_DIGITS = 20;
/** Cheap-phone budget: ~0.2–0.3 s in Node WASM, a few seconds on a low-end phone. */
export const RECEIPT_PWHASH = Object.freeze({ opsLimit: 3, memLimit: 64 * 1024 * 1024 });
/** Fixed 16-byte salt: domain separation only (see PROTOCOL.md for why that is enough). */
export const RECEIPT_SALT = utf8('sori-receipt-v01');
export const SOURCE_TOKEN_HASH_TAG = 'sori-source-token-v1';

export interface SourceKeys {
  keyPair: BoxKeyPair;
  token: Bytes;
  tokenHash: Bytes;
}

/** Each digit from randombytes_uniform(10), which rejection-samples so digits are unbiased. */
export function generateReceipt(): string {
  let digits = '';
  for (let i = 0; i < RECEIPT_DIGITS; i++) digits += String(randomUniform(10));
  return group(digits);
}

const group = (digits: string): string => (digits.match(/\d{4}/g) ?? []).join('-');

/**
 * Accepts what people type or paste: spaces, any dash, full-width digits (NFKC folds them).
 * Returns the canonical 'dddd-dddd-dddd-dddd-dddd'.
 */
export function normaliseReceipt(input: string): string {
  if (typeof input !== 'string' || input.length > 200)
    throw new CryptoError('CRYPTO_BAD_RECEIPT', 'not a receipt');
  const digits = input.normalize('NFKC').replace(/[\s\p{Pd}\u2212\u00b7.]/gu, '');
  if (!/^[0-9]{20}$/.test(digits))
    throw new CryptoError('CRYPTO_BAD_RECEIPT', 'a receipt is 20 digits');
  return group(digits);
}

export function deriveSourceKeys(
  receipt: string,
  params: { opsLimit: number; memLimit: number } = RECEIPT_PWHASH,
): SourceKeys {
  const digits = normaliseReceipt(receipt).replace(/-/g, '');
  const master = argon2id(KEY_BYTES, utf8(digits), RECEIPT_SALT, params.opsLimit, params.memLimit);
  const seed = kdfDerive(master, KDF.sourceSeed.id, KDF.sourceSeed.context);
  const token = kdfDerive(master, KDF.sourceToken.id, KDF.sourceToken.context);
  return { keyPair: generateBoxKeyPair(seed), token, tokenHash: hashSourceToken(token) };
}

/** What the server stores and compares: SHA-256("sori-source-token-v1" || 0x00 || token). */
export function hashSourceToken(token: Bytes): Bytes {
  expectLength(token, KEY_BYTES, 'source token');
  return sha256(concatBytes(utf8(SOURCE_TOKEN_HASH_TAG), Uint8Array.of(0), token));
}
