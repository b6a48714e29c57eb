// Record envelope v1 (worker -> reviewers): a random record key R sealed to each reviewer; body
// and entries under sub-keys of R, so a grant is one more sealed copy and the server never sees R.
import { decryptJson, decryptJsonParts, encryptJson, encryptJsonParts } from './aead';
import { randomBytes, type Bytes } from './encoding';
import { KDF, openSealedKey, sealKey, sealKeyToMany, type BoxKeyPair } from './keys';
import { KEY_BYTES, kdfDerive } from './sodium';

const bodyKey = (r: Bytes): Bytes => kdfDerive(r, KDF.recordBody.id, KDF.recordBody.context);
const entriesKey = (r: Bytes): Bytes =>
  kdfDerive(r, KDF.recordEntries.id, KDF.recordEntries.context);

export function newRecordKey(): Bytes {
  return randomBytes(KEY_BYTES);
}

export function wrapRecordKey(recordKey: Bytes, reviewerPublicKey: Bytes): Bytes {
  return sealKey(recordKey, reviewerPublicKey);
}

/** wrapRecordKey to each reviewer, in order, for the price of fewer X25519 operations. */
export function wrapRecordKeyToMany(
  recordKey: Bytes,
  reviewerPublicKeys: readonly Bytes[],
): Bytes[] {
  return sealKeyToMany(recordKey, reviewerPublicKeys);
}

export function unwrapRecordKey(wrapped: Bytes, reviewer: BoxKeyPair): Bytes {
  return openSealedKey(wrapped, reviewer);
}

export function encryptRecordBody(recordKey: Bytes, recordId: string, body: unknown): Bytes {
  return encryptJson(bodyKey(recordKey), 'record', recordId, body);
}

export function decryptRecordBody<T = unknown>(recordKey: Bytes, recordId: string, blob: Bytes): T {
  return decryptJson<T>(bodyKey(recordKey), 'record', recordId, blob);
}

/** AD binds both ids: an entry cannot be moved to another record or replayed as another entry. */
export function encryptEntry(
  recordKey: Bytes,
  recordId: string,
  entryId: string,
  entry: unknown,
): Bytes {
  return encryptJsonParts(entriesKey(recordKey), 'entry', [recordId, entryId], entry);
}

export function decryptEntry<T = unknown>(
  recordKey: Bytes,
  recordId: string,
  entryId: string,
  blob: Bytes,
): T {
  return decryptJsonParts<T>(entriesKey(recordKey), 'entry', [recordId, entryId], blob);
}
