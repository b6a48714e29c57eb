import * as c from '../../../crypto';
import { expectCode, flip } from './helpers';

beforeAll(() => c.initCrypto());

describe('initialisation', () => {
  it('is idempotent', async () => {
    await c.initCrypto();
    await Promise.all([c.initCrypto(), c.initCrypto()]);
    expect(c.randomBytes(4)).toHaveLength(4);
  });
});

describe('encoding', () => {
  it('round-trips base64url without padding and hex', () => {
    const b = c.randomBytes(37);
    expect(c.fromBase64(c.toBase64(b))).toEqual(b);
    expect(c.toBase64(b)).not.toMatch(/[=+/]/);
    expect(c.fromHex(c.toHex(b))).toEqual(b);
  });

  it.each(['ab=c', 'a+bc', 'a/bc', 'abcde', 'ab c', 'AB==', 'AR'])('refuses base64 %j', (s) => {
    expectCode(() => c.fromBase64(s), 'CRYPTO_BAD_ENCODING');
  });

  it.each(['0', 'zz', 'AB', '0x00', ' 00'])('refuses hex %j', (s) => {
    expectCode(() => c.fromHex(s), 'CRYPTO_BAD_ENCODING');
  });

  it('refuses invalid UTF-8', () => {
    expect(c.fromUtf8(c.utf8('소리'))).toBe('소리');
    expectCode(() => c.fromUtf8(Uint8Array.of(0xc3, 0x28)), 'CRYPTO_BAD_FORMAT');
  });

  it('makes v4 UUIDs', () => {
    const ids = new Set(Array.from({ length: 100 }, () => c.randomId()));
    expect(ids.size).toBe(100);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('hashes', () => {
  it('matches SHA-256 and the incremental form', () => {
    expect(c.sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    const h = c.sha256Stream();
    h.update(c.utf8('a'));
    h.update(c.utf8('bc'));
    expect(h.digestHex()).toBe(c.sha256Hex('abc'));
    expectCode(() => h.digestHex(), 'CRYPTO_BAD_FORMAT');
  });
});

describe('keys and sealed keys', () => {
  const kp = () => c.generateBoxKeyPair();

  it('derives stable ids and fingerprints', () => {
    const a = c.generateBoxKeyPair(new Uint8Array(32).fill(1));
    expect(c.generateBoxKeyPair(new Uint8Array(32).fill(1))).toEqual(a);
    expect(c.keyId(a.publicKey)).toMatch(/^k1_[A-Za-z0-9_-]{16}$/);
    expect(c.fingerprint(a.publicKey)).toMatch(/^([0-9a-f]{4} ){7}[0-9a-f]{4}$/);
    expectCode(() => c.keyId(new Uint8Array(31)), 'CRYPTO_BAD_LENGTH');
    expectCode(() => c.generateBoxKeyPair(new Uint8Array(16)), 'CRYPTO_BAD_LENGTH');
  });

  it('seals and opens a key; refuses tamper, wrong key, version and lengths', () => {
    const r = kp();
    const k = c.randomBytes(32);
    const sealed = c.sealKey(k, r.publicKey);
    expect(sealed).toHaveLength(81);
    expect(c.openSealedKey(sealed, r)).toEqual(k);
    for (const i of [1, 20, 40, 60, 80])
      expectCode(() => c.openSealedKey(flip(sealed, i), r), 'CRYPTO_DECRYPT_FAILED');
    expectCode(() => c.openSealedKey(sealed, kp()), 'CRYPTO_DECRYPT_FAILED');
    expectCode(() => c.openSealedKey(flip(sealed, 0), r), 'CRYPTO_UNKNOWN_VERSION');
    expectCode(() => c.openSealedKey(sealed.subarray(0, 80), r), 'CRYPTO_TRUNCATED');
    expectCode(() => c.openSealedKey(new Uint8Array(0), r), 'CRYPTO_TRUNCATED');
    expectCode(
      () => c.openSealedKey(c.concatBytes(sealed, Uint8Array.of(0)), r),
      'CRYPTO_BAD_LENGTH',
    );
    expectCode(
      () => c.openSealedKey(sealed, { ...r, secretKey: new Uint8Array(31) }),
      'CRYPTO_BAD_LENGTH',
    );
    expectCode(() => c.sealKey(new Uint8Array(16), r.publicKey), 'CRYPTO_BAD_LENGTH');
    expectCode(() => c.sealKey(k, new Uint8Array(33)), 'CRYPTO_BAD_LENGTH');
  });

  it('derives sub-keys and checks context and id', () => {
    const k = c.randomBytes(32);
    expect(c.deriveSubKey(k, 1, 'sori-man')).not.toEqual(c.deriveSubKey(k, 2, 'sori-man'));
    expect(c.deriveSubKey(k, 1, 'sori-man')).not.toEqual(c.deriveSubKey(k, 1, 'sori-att'));
    expectCode(() => c.deriveSubKey(k, 1, 'short'), 'CRYPTO_BAD_LENGTH');
    expectCode(() => c.deriveSubKey(k, -1, 'sori-man'), 'CRYPTO_BAD_LENGTH');
    expectCode(() => c.deriveSubKey(k, 1.5, 'sori-man'), 'CRYPTO_BAD_LENGTH');
    expectCode(() => c.deriveSubKey(new Uint8Array(31), 1, 'sori-man'), 'CRYPTO_BAD_LENGTH');
  });
});

describe('signatures', () => {
  it('signs, verifies and binds the login context', () => {
    const s = c.generateSignKeyPair();
    const m = c.utf8('m');
    const sig = c.sign(m, s.secretKey);
    expect(c.verify(sig, m, s.publicKey)).toBe(true);
    expect(c.verify(flip(sig, 3), m, s.publicKey)).toBe(false);
    expect(c.verify(sig, c.utf8('n'), s.publicKey)).toBe(false);
    expectCode(() => c.verifyOrThrow(flip(sig, 3), m, s.publicKey), 'CRYPTO_BAD_SIGNATURE');
    expectCode(() => c.verify(sig.subarray(1), m, s.publicKey), 'CRYPTO_BAD_LENGTH');
    expectCode(() => c.sign(m, s.secretKey.subarray(0, 32)), 'CRYPTO_BAD_LENGTH');

    const nonce = c.randomBytes(32);
    const ch = c.signChallenge(nonce, s.secretKey);
    expect(c.verifyChallenge(ch, nonce, s.publicKey)).toBe(true);
    expect(c.verify(ch, nonce, s.publicKey)).toBe(false); // context is part of what is signed
    expect(c.verifyChallenge(c.sign(nonce, s.secretKey), nonce, s.publicKey)).toBe(false);
    expectCode(() => c.signChallenge(c.randomBytes(8), s.secretKey), 'CRYPTO_BAD_LENGTH');
    expect(c.LOGIN_CONTEXT).toBe('sori-login-v1');
  });
});
