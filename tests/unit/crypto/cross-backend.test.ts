/**
 * The two libsodium builds side by side in one process: what one encrypts the other opens, in
 * every format, and both refuse the same bad input with the same code. (The vectors prove
 * each build against fixed bytes; this proves them against each other on fresh randomness.)
 */
import fc from 'fast-check';
import type * as C from '../../../crypto';
import type * as S from '../../../crypto/sodium';
import { KEYFILE_PWHASH_FLOOR } from '../../../crypto/keyfile';
import { LIGHT } from './helpers';

type Build = { c: typeof C; s: typeof S };

async function load(backend: 'native' | 'wasm'): Promise<Build> {
  const before = process.env.SORI_CRYPTO_BACKEND;
  process.env.SORI_CRYPTO_BACKEND = backend;
  let build: Build | undefined;
  try {
    await jest.isolateModulesAsync(async () => {
      const c = jest.requireActual<typeof C>('../../../crypto');
      await c.initCrypto();
      build = { c, s: jest.requireActual<typeof S>('../../../crypto/sodium') };
    });
  } finally {
    process.env.SORI_CRYPTO_BACKEND = before;
  }
  return build!;
}

let native: Build;
let wasm: Build;
beforeAll(async () => {
  native = await load('native');
  wasm = await load('wasm');
});

// Names at collection time; the builds themselves exist only after beforeAll.
const PAIRS: Array<['native' | 'wasm', 'native' | 'wasm']> = [
  ['native', 'wasm'],
  ['wasm', 'native'],
];
const pick = (name: 'native' | 'wasm'): Build => (name === 'native' ? native : wasm);

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code ?? `plain ${(e as Error).name}`;
  }
  return 'no error';
}

it('really are two builds', () => {
  expect(native.c.cryptoBackend().name).toBe('native');
  expect(wasm.c.cryptoBackend().name).toBe('wasm');
});

it('derive the same keys, sub-keys, digests, signatures and padding', () => {
  const seed = native.c.randomBytes(32);
  for (const b of [native, wasm]) {
    expect(b.c.generateBoxKeyPair(seed)).toEqual(wasm.c.generateBoxKeyPair(seed));
    expect(b.c.generateSignKeyPair(seed)).toEqual(wasm.c.generateSignKeyPair(seed));
    expect(b.s.signSeedOf(b.c.generateSignKeyPair(seed).secretKey)).toEqual(seed);
    expect(b.c.deriveSubKey(seed, 7, 'sori-att')).toEqual(wasm.c.deriveSubKey(seed, 7, 'sori-att'));
    expect(b.c.deriveSubKey(seed, 0x7fffffff, 'sori-att')).toEqual(
      wasm.c.deriveSubKey(seed, 0x7fffffff, 'sori-att'),
    );
    expect(b.c.sha256Hex(seed)).toBe(wasm.c.sha256Hex(seed));
    const msg = b.c.utf8('증언');
    const sk = b.c.generateSignKeyPair(seed).secretKey;
    expect(b.c.sign(msg, sk)).toEqual(wasm.c.sign(msg, sk)); // Ed25519 is deterministic
    expect(b.s.blake2b(32, msg, seed)).toEqual(wasm.s.blake2b(32, msg, seed));
    expect(b.s.pad(msg, 16)).toEqual(wasm.s.pad(msg, 16));
  }
});

it.each(PAIRS)('%s → %s: objects, JSON, sealed keys, records, replies', (from, to) => {
  const [a, b] = [pick(from), pick(to)];
  const key = a.c.randomBytes(32);
  const blob = a.c.encryptJson(key, 'record', 'r1', { text: '소리', n: 1 });
  expect(b.c.decryptJson(key, 'record', 'r1', blob)).toEqual({ text: '소리', n: 1 });
  const reviewer = b.c.generateBoxKeyPair();
  const rk = a.c.newRecordKey();
  expect(b.c.unwrapRecordKey(a.c.wrapRecordKey(rk, reviewer.publicKey), reviewer)).toEqual(rk);
  const body = a.c.encryptRecordBody(rk, 'rec', { lines: ['a', 'b'] });
  expect(b.c.decryptRecordBody(rk, 'rec', body)).toEqual({ lines: ['a', 'b'] });
  const source = b.c.generateBoxKeyPair();
  expect(b.c.openReply(a.c.sealToSource(source.publicKey, { reply: 'ok' }), source)).toEqual({
    reply: 'ok',
  });
});

it.each(PAIRS)('%s → %s: signatures and the login challenge', (from, to) => {
  const [a, b] = [pick(from), pick(to)];
  const keys = a.c.generateSignKeyPair();
  const msg = a.c.randomBytes(100);
  expect(b.c.verify(a.c.sign(msg, keys.secretKey), msg, keys.publicKey)).toBe(true);
  const nonce = a.c.randomBytes(32);
  expect(b.c.verifyChallenge(a.c.signChallenge(nonce, keys.secretKey), nonce, keys.publicKey)).toBe(
    true,
  );
});

it.each(PAIRS)(
  '%s → %s: submissions (sealed content key, manifest, attachment keys)',
  (from, to) => {
    const [a, b] = [pick(from), pick(to)];
    const intake = b.c.generateBoxKeyPair();
    const receipt = a.c.generateReceipt();
    const source = a.c.deriveSourceKeys(receipt, LIGHT);
    const manifest: C.SubmissionManifest = {
      text: '증언',
      sourcePublicKey: a.c.toBase64(source.keyPair.publicKey),
    };
    const built = a.c.buildSubmission({
      intakePublicKey: intake.publicKey,
      manifest,
      sourceToken: source.token,
    });
    const opened = b.c.openSubmission(built.envelope, intake);
    expect(opened.manifest).toEqual(expect.objectContaining({ text: '증언' }));
    expect(b.c.attachmentKey(opened.contentKey, 1)).toEqual(a.c.attachmentKey(built.contentKey, 1));
    expect(b.c.deriveSourceKeys(receipt, LIGHT)).toEqual(source);
  },
);

it.each(PAIRS)('%s → %s: key files (Argon2id, secretbox)', (from, to) => {
  const [a, b] = [pick(from), pick(to)];
  const keys = a.c.generateReviewerKeys();
  const text = a.c.encryptKeyFile(keys, 'correct horse', KEYFILE_PWHASH_FLOOR);
  expect(b.c.decryptKeyFile(text, 'correct horse')).toEqual(keys);
  expect(codeOf(() => b.c.decryptKeyFile(text, 'wrong'))).toBe('CRYPTO_DECRYPT_FAILED');
});

// 0, inside one chunk, exactly a chunk's data, across chunks, and into a whole padding chunk.
const SIZES = [0, 1, 65_528, 65_529, 200_000, 4_300_000];

it.each(PAIRS)('%s → %s: files v1 and v2 at chunk edges', (from, to) => {
  const [a, b] = [pick(from), pick(to)];
  for (const size of SIZES) {
    const key = a.c.randomBytes(32);
    const data = a.c.randomBytes(size);
    const v1 = new a.c.FileEncryptor(key, size);
    const ct1 = a.c.concatBytes(v1.header, ...v1.write(data), ...v1.end());
    const v2 = new a.c.FileEncryptorV2(key);
    const ct2 = a.c.concatBytes(v2.header, ...v2.write(data), ...v2.end());
    for (const ct of [ct1, ct2]) {
      const d = new b.c.FileDecryptor(key);
      // Compared as Buffers: jest's toEqual walks a typed array element by element.
      const out = b.c.concatBytes(...d.write(ct), ...d.end());
      expect(Buffer.compare(out, data)).toBe(0);
      const flipped = new Uint8Array(ct);
      flipped[ct.length - 1]! ^= 1;
      const bad = new b.c.FileDecryptor(key);
      expect(codeOf(() => [...bad.write(flipped), ...bad.end()])).toBe('CRYPTO_DECRYPT_FAILED');
    }
  }
});

it('refuse the same bad inputs with the same codes', () => {
  const key = native.c.randomBytes(32);
  const blob = native.c.encryptObject(key, 'record', 'r', native.c.utf8('x'));
  const cases: Array<(b: Build) => unknown> = [
    (b) => b.c.decryptObject(key, 'record', 'other', blob),
    (b) => b.c.decryptObject(key, 'record', 'r', blob.subarray(0, 41)),
    (b) => b.c.decryptObject(key.subarray(1), 'record', 'r', blob),
    (b) => b.c.openSealedKey(new Uint8Array(81).fill(1), b.c.generateBoxKeyPair()),
    (b) => b.c.deriveSubKey(key, 2 ** 31, 'sori-att'),
    (b) => b.c.deriveSubKey(key, -1, 'sori-att'),
    (b) => b.c.deriveSubKey(key, 1, 'short'),
    (b) => b.s.unpad(new Uint8Array(16), 16),
    (b) => b.s.unpad(new Uint8Array(8), 16),
    (b) => b.s.streamPull(b.s.streamInitPull(new Uint8Array(24), key), new Uint8Array(16)),
    (b) => b.s.streamPull(b.s.streamInitPull(new Uint8Array(24), key), new Uint8Array(40)),
    (b) => b.s.argon2id(32, new Uint8Array(1), new Uint8Array(16), 0, 8192),
    (b) => b.s.blake2b(8, new Uint8Array(1)),
    (b) => b.s.randomUniform(0),
  ];
  for (const f of cases) {
    const n = codeOf(() => f(native));
    expect(n).toMatch(/^CRYPTO_/);
    expect(codeOf(() => f(wasm))).toBe(n);
  }
});

it('agree on ISO/IEC 7816-4 unpadding of any bytes (the native one is ours, see sodium-native.ts)', () => {
  const tail = fc.array(fc.constantFrom(0x00, 0x80, 0x01, 0xff), { maxLength: 20 });
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 40 }),
      tail,
      fc.integer({ min: 1, max: 48 }),
      (h, t, block) => {
        const buf = Uint8Array.from([...h, ...t]);
        let n: Uint8Array | string;
        let w: Uint8Array | string;
        try {
          n = native.s.unpad(buf, block);
        } catch (e) {
          n = (e as { code: string }).code;
        }
        try {
          w = wasm.s.unpad(buf, block);
        } catch (e) {
          w = (e as { code: string }).code;
        }
        expect(n).toEqual(w);
      },
    ),
    { numRuns: 2000 },
  );
});

it('agree on ISO/IEC 7816-4 padding of any length (the native one is ours, see sodium-native.ts)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 130 }), (m, block) => {
      const n = native.s.pad(m, block);
      expect(n).toEqual(wasm.s.pad(m, block));
      expect(native.s.unpad(n, block)).toEqual(m);
    }),
    { numRuns: 2000 },
  );
});
