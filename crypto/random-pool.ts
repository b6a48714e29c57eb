/**
 * Faster randomness for libsodium.js, same source. Its WASM build asks the host for one 32-bit
 * word per random BYTE (randombytes_buf(32) is 32 host calls, and each crypto_box_seal draws
 * 96), and on Node each word is a crypto.randomBytes(4): ~10 µs, the larger part of sealing a
 * record key. Here the words come from a pool refilled by one getRandomValues() call per
 * 4 KiB: the same CSPRNG (the platform's, as before), a hundred times fewer crossings. Nothing
 * about what is drawn changes, so every format and test vector stays as it was.
 */

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
