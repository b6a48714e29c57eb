// libsodium.js's randomness drawn from a pool refilled by one getRandomValues() per 4 KiB instead
// of one host call per byte: the same CSPRNG, far fewer crossings. See PROTOCOL.md.

const POOL_WORDS = 1024; // 4 KiB: getRandomValues takes at most 64 KiB at once

type GetRandomValues = (array: Uint32Array) => Uint32Array;

const HANDLE_POOL_BYTES = 4096;
/** The longest handle drawn from the pool; anything longer is no handle. */
export const MAX_HANDLE_BYTES = 64;

/**
 * Short random handles (job tickets), encoded by `encode`, from a 4 KiB pool refilled by one
 * `fill` rather than one call (a getrandom() each, on the native build) per handle: the intake
 * draws one per submission. Each range is zeroed once encoded, so the pool holds only bytes not
 * yet handed out. Handles only: keys and nonces keep drawing from `randomBytes` directly.
 */
export function pooledRandomHandle(
  fill: (pool: Uint8Array) => void,
  encode: (bytes: Uint8Array) => string,
): (n: number) => string {
  const pool = new Uint8Array(HANDLE_POOL_BYTES);
  let next = HANDLE_POOL_BYTES;
  return (n) => {
    if (next + n > HANDLE_POOL_BYTES) {
      fill(pool); // what was left over is overwritten, never handed out
      next = 0;
    }
    const range = pool.subarray(next, next + n);
    next += n;
    const handle = encode(range);
    range.fill(0);
    return handle;
  };
}

/** A word source over `fill`; each word is zeroed once handed out, so none is kept after use. */
export function pooledRandomWord(fill: GetRandomValues): () => number {
  const pool = new Uint32Array(POOL_WORDS);
  let next = POOL_WORDS;
  return () => {
    if (next === POOL_WORDS) {
      fill(pool);
      next = 0;
    }
    const word = pool[next]!;
    pool[next++] = 0;
    return word;
  };
}

/**
 * Points libsodium.js's host randomness at a pool over Web Crypto's getRandomValues (Node ≥ 19
 * and every browser have it). Without Web Crypto, libsodium keeps its own source.
 * `module` is the Emscripten module (`sodium.libsodium`), read when the WASM wants a word.
 */
export function installRandomPool(module: { getRandomValue?: () => number }): void {
  const webCrypto = (globalThis as { crypto?: { getRandomValues?: GetRandomValues } }).crypto;
  if (typeof webCrypto?.getRandomValues !== 'function') return;
  // A libsodium.js that no longer reads this hook keeps its own source, unchanged.
  if (typeof module.getRandomValue !== 'function') return;
  const fill: GetRandomValues = (array) => webCrypto.getRandomValues!(array);
  module.getRandomValue = pooledRandomWord(fill);
}
