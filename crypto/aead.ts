// Small encrypted objects: 0x01 || nonce(24) || XChaCha20-Poly1305-IETF ciphertext. The AD names
// the object (kind and id), so the server cannot swap one stored ciphertext for another.
import { concatBytes, fromUtf8, lengthPrefixed, randomBytes, utf8, type Bytes } from './encoding';
import { CryptoError } from './errors';
import { VERSION_1, checkVersionedBlob } from './keys';
import { AEAD_ABYTES, XNONCE_BYTES, aeadDecrypt, aeadEncrypt, pad, unpad } from './sodium';

export type ObjectKind = 'manifest' | 'record' | 'entry' | 'reply' | 'keyfile' | string;

export const OBJECT_AD_TAG = 'sori-object-v1';
export const OBJECT_OVERHEAD = 1 + XNONCE_BYTES + AEAD_ABYTES;
/** JSON plaintexts are padded to multiples of this, so their length leaks only a 4 KiB bucket. */
export const JSON_PAD_BLOCK = 4096;

/** AD = "sori-object-v1" || 0x00 || lp(kind) || lp(id_1) || ... where lp = u32be(len) || utf8. */
export function objectAd(kind: string, ids: readonly string[]): Bytes {
  if (typeof kind !== 'string' || kind.length === 0)
    throw new CryptoError('CRYPTO_BAD_FORMAT', 'object kind required');
  for (const id of ids) {
    if (typeof id !== 'string' || id.length === 0)
      throw new CryptoError('CRYPTO_BAD_FORMAT', 'object id required');
  }
  return concatBytes(
    utf8(OBJECT_AD_TAG),
    Uint8Array.of(0),
    lengthPrefixed(kind),
    ...ids.map(lengthPrefixed),
  );
}

/** Deterministic form for test vectors only; production callers get a fresh random nonce. */
export function encryptObjectWithNonce(
  key32: Bytes,
  kind: string,
  ids: readonly string[],
  pt: Bytes,
  nonce: Bytes,
): Bytes {
  const ct = aeadEncrypt(pt, objectAd(kind, ids), nonce, key32);
  return concatBytes(Uint8Array.of(VERSION_1), nonce, ct);
}

export function encryptObjectParts(
  key32: Bytes,
  kind: string,
  ids: readonly string[],
  pt: Bytes,
): Bytes {
  return encryptObjectWithNonce(key32, kind, ids, pt, randomBytes(XNONCE_BYTES));
}

export function decryptObjectParts(
  key32: Bytes,
  kind: string,
  ids: readonly string[],
  blob: Bytes,
): Bytes {
  checkVersionedBlob(blob, OBJECT_OVERHEAD, 'encrypted object');
  const nonce = blob.subarray(1, 1 + XNONCE_BYTES);
  return aeadDecrypt(blob.subarray(1 + XNONCE_BYTES), objectAd(kind, ids), nonce, key32);
}

export function encryptObject(key32: Bytes, kind: ObjectKind, id: string, plaintext: Bytes): Bytes {
  return encryptObjectParts(key32, kind, [id], plaintext);
}

export function decryptObject(key32: Bytes, kind: ObjectKind, id: string, blob: Bytes): Bytes {
  return decryptObjectParts(key32, kind, [id], blob);
}

/** UTF-8 JSON padded with sodium_pad (ISO/IEC 7816-4: 0x80 then zeros) to 4096-byte blocks. */
export function encodePaddedJson(value: unknown): Bytes {
  const text = JSON.stringify(value);
  if (typeof text !== 'string')
    throw new CryptoError('CRYPTO_BAD_FORMAT', 'value is not JSON-serialisable');
  return pad(utf8(text), JSON_PAD_BLOCK);
}

export function decodePaddedJson<T>(padded: Bytes): T {
  if (padded.length === 0 || padded.length % JSON_PAD_BLOCK !== 0) {
    throw new CryptoError('CRYPTO_BAD_FORMAT', 'padded JSON is not a whole number of blocks');
  }
  const text = fromUtf8(unpad(padded, JSON_PAD_BLOCK));
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new CryptoError('CRYPTO_BAD_FORMAT', 'decrypted content is not JSON');
  }
}

export function encryptJson(key32: Bytes, kind: ObjectKind, id: string, value: unknown): Bytes {
  return encryptObject(key32, kind, id, encodePaddedJson(value));
}

export function decryptJson<T = unknown>(
  key32: Bytes,
  kind: ObjectKind,
  id: string,
  blob: Bytes,
): T {
  return decodePaddedJson<T>(decryptObject(key32, kind, id, blob));
}

export function encryptJsonParts(
  key32: Bytes,
  kind: string,
  ids: readonly string[],
  value: unknown,
): Bytes {
  return encryptObjectParts(key32, kind, ids, encodePaddedJson(value));
}

export function decryptJsonParts<T>(
  key32: Bytes,
  kind: string,
  ids: readonly string[],
  blob: Bytes,
): T {
  return decodePaddedJson<T>(decryptObjectParts(key32, kind, ids, blob));
}
