// Node picks its libsodium build from SORI_CRYPTO_BACKEND (auto, native, wasm; see PROTOCOL.md).
// Imported by index.ts only, so the browser bundle never reaches the addon.
import type { SodiumBackend } from './backend';
import { CryptoError } from './errors';
import { nodeSha256 } from './sha256-node';
import { setBackendLoader, type BackendLoader } from './sodium';

export const BACKEND_ENV = 'SORI_CRYPTO_BACKEND';
type Choice = 'auto' | 'native' | 'wasm';

function choice(): Choice {
  const raw = process.env[BACKEND_ENV];
  if (raw === undefined || raw === '') return 'auto';
  if (raw === 'auto' || raw === 'native' || raw === 'wasm') return raw;
  throw new CryptoError(
    'CRYPTO_BACKEND_UNAVAILABLE',
    `${BACKEND_ENV} must be auto, native or wasm`,
  );
}

async function loadNative(): Promise<SodiumBackend> {
  return (await import('./sodium-native')).nativeBackend;
}

/** The WASM build with Node's SHA-256: the browser keeps libsodium's, the digest is the same. */
async function loadWasm(): Promise<SodiumBackend> {
  return { ...(await (await import('./sodium-wasm')).loadWasmBackend()), ...nodeSha256 };
}

/** The addon's load error names a file path at most, never data; it is what an operator needs. */
function reasonOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!.slice(0, 300);
}

export const nodeBackendLoader: BackendLoader = async () => {
  const wanted = choice(); // read when initCrypto() runs, not at import
  if (wanted === 'wasm') return { backend: await loadWasm() };
  try {
    return { backend: await loadNative() };
  } catch (err) {
    const reason = reasonOf(err);
    if (wanted === 'native')
      throw new CryptoError(
        'CRYPTO_BACKEND_UNAVAILABLE',
        `${BACKEND_ENV}=native but sodium-native cannot load: ${reason}`,
      );
    process.emitWarning(`sodium-native cannot load (${reason}); using libsodium.js (WASM)`, {
      code: 'SORI_CRYPTO_FALLBACK',
    });
    return { backend: await loadWasm(), fallbackReason: reason };
  }
};

setBackendLoader(nodeBackendLoader);
