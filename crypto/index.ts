/**
 * The public face of crypto/: the only module the rest of Sori imports. Deterministic
 * `*With*` variants used by the test vectors are deliberately not re-exported here.
 */
export * from './portable';
// Node-only (stream.Transform); browser bundles import ./portable instead.
export {
  createEncryptStream,
  createEncryptStreamV2,
  encryptFileV2,
  createDecryptStream,
} from './file-stream';
