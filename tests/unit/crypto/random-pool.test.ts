import * as c from '../../../crypto';
import { pooledRandomHandle, pooledRandomWord } from '../../../crypto/random-pool';
import { expectCode } from './helpers';

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

describe('pooledRandomHandle', () => {
  it('encodes ranges of one fill in order, refills when the rest is too short, zeroes what it handed out', () => {
    const fills: Uint8Array[] = [];
    const seenByEncode: number[][] = [];
    const draw = pooledRandomHandle(
      (pool) => {
        fills.push(pool);
        for (let i = 0; i < pool.length; i++) pool[i] = (fills.length * 7 + i) & 0xff;
      },
      (bytes) => {
        seenByEncode.push(Array.from(bytes));
        return Buffer.from(bytes).toString('hex');
      },
    );
    expect(draw(3)).toBe('070809');
    expect(draw(2)).toBe('0a0b');
    expect(fills).toHaveLength(1);
    const pool = fills[0]!;
    expect(pool.length).toBe(4096);
    // Handed out, then wiped; the bytes not yet drawn are still there.
    expect(Array.from(pool.subarray(0, 5))).toEqual([0, 0, 0, 0, 0]);
    expect(pool[5]).toBe(0x0c);
    // 4091 bytes remain: 255 draws of 16 take 4080, and the next 16 need a new fill.
    for (let i = 0; i < 255; i++) draw(16);
    expect(fills).toHaveLength(1);
    expect(draw(16)).toBe(
      Buffer.from(Array.from({ length: 16 }, (_, i) => (14 + i) & 0xff)).toString('hex'),
    );
    expect(fills).toHaveLength(2);
    expect(seenByEncode).toHaveLength(258);
  });
});

describe('randomHandle', () => {
  beforeAll(() => c.initCrypto());

  it('gives base64url of n random bytes, distinct across more than one pool', () => {
    const handles = Array.from({ length: 600 }, () => c.randomHandle(16)); // 9600 bytes
    for (const h of handles) {
      expect(h).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(c.fromBase64(h)).toHaveLength(16);
    }
    expect(new Set(handles).size).toBe(600);
    expect(c.fromBase64(c.randomHandle(64))).toHaveLength(64);
  });

  it.each([0, 65, -1, 1.5, NaN])('refuses a length of %p', (n) => {
    expectCode(() => c.randomHandle(n), 'CRYPTO_BAD_LENGTH');
  });
});
