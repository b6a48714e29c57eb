// The public face of crypto/: the only module the rest of Sori imports. The deterministic
// `*With*` variants used by the test vectors are deliberately not re-exported here.
// Node processes choose their libsodium build (native addon or WASM) here; see backend-node.ts.
import './backend-node';
export * from './portable';
export { BACKEND_ENV } from './backend-node';
// Node-only (stream.Transform); browser bundles import ./portable instead.
export {
  createEncryptStream,
  createEncryptStreamV2,
  encryptFileV2,
  createDecryptStream,
} from './file-stream';
