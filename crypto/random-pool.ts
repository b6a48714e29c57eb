// libsodium.js's randomness drawn from a pool refilled by one getRandomValues() per 4 KiB instead
// of one host call per byte: the same CSPRNG, far fewer crossings. See PROTOCOL.md.

const POOL_WORDS = 1024; // 4 KiB: getRandomValues takes at most 64 KiB at once

type GetRandomValues = (array: Uint32Array) => Uint32Array;

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
