// Record files: each sanitised file is a file stream under its own sub-key of the record key R.
// Originals kept back go under a fresh key sealed to admins or the custodian.
import { randomBytes, type Bytes } from './encoding';
import { CryptoError } from './errors';
import { openSealedKey, sealKey, type BoxKeyPair } from './keys';
import { KEY_BYTES, kdfDerive } from './sodium';

export const RECORD_FILE_CONTEXT = 'sori-fil';

/** KDF(R, subkeyId, "sori-fil"); subkeyId >= 1, distinct per file of one record. */
export function recordFileKey(recordKey: Bytes, subkeyId: number): Bytes {
  if (!Number.isSafeInteger(subkeyId) || subkeyId < 1)
    throw new CryptoError('CRYPTO_BAD_LENGTH', 'subkeyId must be >= 1');
  return kdfDerive(recordKey, subkeyId, RECORD_FILE_CONTEXT);
}

/** A fresh key H for one original file. */
export function newFileKey(): Bytes {
  return randomBytes(KEY_BYTES);
}

/** H as a sealed key (81 bytes) to one recipient: an admin or the custodian. */
export function sealFileKey(fileKey: Bytes, recipientPublicKey: Bytes): Bytes {
  return sealKey(fileKey, recipientPublicKey);
}

export function openFileKey(sealed: Bytes, recipient: BoxKeyPair): Bytes {
  return openSealedKey(sealed, recipient);
}
