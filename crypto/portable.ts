// Everything in crypto/ that runs unchanged in a browser (no Node APIs): the entry point for the
// esbuild bundle. index.ts adds the Node stream adapters on top.
export { CryptoError, isCryptoError, type CryptoErrorCode } from './errors';
export { initCrypto, cryptoBackend, type CryptoBackendInfo } from './sodium';
export {
  type Bytes,
  toBase64,
  fromBase64,
  toHex,
  fromHex,
  randomBytes,
  randomHandle,
  randomId,
  utf8,
  fromUtf8,
  concatBytes,
} from './encoding';
export { sha256, sha256Hex, sha256Stream } from './hash';
export * from './pow'; // proof of work: solved in the browser and the console
export {
  type BoxKeyPair,
  generateBoxKeyPair,
  keyId,
  fingerprint,
  sealKey,
  sealKeyToMany,
  openSealedKey,
  deriveSubKey,
  SEALED_KEY_BYTES,
} from './keys';
export { type ObjectKind, encryptObject, decryptObject, encryptJson, decryptJson } from './aead';
export { padmeLength, encryptedFileSize, encryptedFileSizeV2, FILE_CHUNK_BYTES } from './padme';
export { recordFileKey, newFileKey, sealFileKey, openFileKey } from './record-file';
export { FileEncryptor, FileDecryptor } from './file-cipher';
export { FileEncryptorV2 } from './file-cipher-v2';
export {
  type SubmissionAttachment,
  type SubmissionManifest,
  type SubmissionEnvelopeV1,
  type StoredSubmissionV1,
  buildSubmission,
  openSubmission,
  openStoredSubmission,
  attachmentKey,
} from './submission';
export {
  newRecordKey,
  wrapRecordKey,
  wrapRecordKeyToMany,
  unwrapRecordKey,
  encryptRecordBody,
  decryptRecordBody,
  encryptEntry,
  decryptEntry,
} from './record';
export {
  type SourceKeys,
  generateReceipt,
  normaliseReceipt,
  deriveSourceKeys,
  hashSourceToken,
  RECEIPT_PWHASH,
} from './receipt';
export { sealToSource, openReply, openFromSource } from './reply';
export {
  type SignKeyPair,
  type ReviewerKeys,
  generateSignKeyPair,
  generateReviewerKeys,
  sign,
  verify,
  verifyOrThrow,
  LOGIN_CONTEXT,
  signChallenge,
  verifyChallenge,
} from './signatures';
export {
  ENROLMENT_CONTEXT,
  cachedCertificateCheck,
  certificateHolds,
  certifiedReviewers,
  enrolmentMessage,
  parseEnrolmentRoots,
  signEnrolment,
  verifyEnrolment,
  type EnrolmentRole,
  type EnrolmentStatement,
  type EnrolmentCertificate,
  type CertifiedReviewer,
} from './enrolment';
export { encryptKeyFile, decryptKeyFile, KEYFILE_PWHASH, type KeyFileV1 } from './keyfile';
/** Constant-time comparison (secrets such as the desk's per-launch cookie) and wiping keys. */
export { bytesEqual, memzero } from './sodium';
