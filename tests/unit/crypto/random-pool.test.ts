import * as c from '../../../crypto';
import { pooledRandomWord } from '../../../crypto/random-pool';

// libsodium.js draws one 32-bit word from its host per random byte; the pool serves those
// words from one Web Crypto fill per 1024 of them. Same source, far fewer calls.

describe('pooledRandomWord', () => {
  it('serves the filled words in order, refills when spent, and zeroes what it handed out', () => {
    let fills = 0;
    const seen: Uint32Array[] = [];
    const next = pooledRandomWord((array) => {
      fills++;
      for (let i = 0; i < array.length; i++) array[i] = fills * 10_000 + i + 1;
      seen.push(array);
      return array;
    });
    const words = Array.from({ length: 1025 }, () => next());
    expect(fills).toBe(2);
    expect(words.slice(0, 3)).toEqual([10_001, 10_002, 10_003]);
    expect(words[1023]).toBe(11_024);
    expect(words[1024]).toBe(20_001);
    // The pool array itself keeps nothing that was already handed out.
    expect(seen[0]![0]).toBe(0);
    expect(seen[0]![1]).toBe(20_002);
  });
});

// The pool is the WASM build's; the native addon calls the kernel's getrandom itself.
const onWasm = process.env.SORI_CRYPTO_BACKEND === 'wasm';

describe('libsodium randomness after initCrypto', () => {
  beforeAll(() => c.initCrypto());

  (onWasm ? it : it.skip)(
    'comes from Web Crypto through the pool, a fill per 4 KiB rather than a call per byte',
    () => {
      const spy = jest.spyOn(globalThis.crypto, 'getRandomValues');
      try {
        const keys = Array.from({ length: 64 }, () => c.randomBytes(32)); // 2048 words
        for (const k of [1, 2, 3]) c.sealKey(keys[k]!, c.generateBoxKeyPair().publicKey);
        // At most ceil((2048 + 3 * (96 + 32)) / 1024) + 1 fills; a call per byte would be > 2000.
        expect(spy.mock.calls.length).toBeGreaterThanOrEqual(2);
        expect(spy.mock.calls.length).toBeLessThanOrEqual(4);
        // Still random: 64 keys, all distinct, none all zero.
        expect(new Set(keys.map((k) => c.toHex(k))).size).toBe(64);
        expect(keys.every((k) => k.some((b) => b !== 0))).toBe(true);
      } finally {
        spy.mockRestore();
      }
    },
  );

  (onWasm ? it.skip : it)(
    'on the native build, comes from libsodium itself, not Web Crypto',
    () => {
      const spy = jest.spyOn(globalThis.crypto, 'getRandomValues');
      try {
        const keys = Array.from({ length: 64 }, () => c.randomBytes(32));
        expect(spy).not.toHaveBeenCalled();
        expect(new Set(keys.map((k) => c.toHex(k))).size).toBe(64);
        expect(keys.every((k) => k.some((b) => b !== 0))).toBe(true);
      } finally {
        spy.mockRestore();
      }
    },
  );
});
