import * as c from '../../../crypto';
import { expectCode, LIGHT } from './helpers';

beforeAll(() => c.initCrypto());

const KF_TEST = { opsLimit: 2, memLimit: 64 * 1024 * 1024 }; // the floor: fastest accepted

describe('receipts', () => {
  it('generates 20 unbiased-looking digits in groups of four', () => {
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 500; i++) {
      const r = c.generateReceipt();
      expect(r).toMatch(/^\d{4}(-\d{4}){4}$/);
      for (const d of r.replace(/-/g, '')) counts[Number(d)]! += 1;
    }
    for (const n of counts) expect(n).toBeGreaterThan(800); // 1000 expected per digit
  });

  it('normalises what people type', () => {
    const want = '1234-5678-9012-3456-7890';
    for (const s of [
      '12345678901234567890',
      ' 1234 5678 9012 3456 7890 ',
      '１２３４－５６７８–9012—3456\u22127890',
      '1234.5678.9012.3456.7890',
    ]) {
      expect(c.normaliseReceipt(s)).toBe(want);
    }
    for (const s of [
      '1234',
      '1234-5678-9012-3456-789',
      '1234-5678-9012-3456-78901',
      'abcd-5678-9012-3456-7890',
      '',
    ]) {
      expectCode(() => c.normaliseReceipt(s), 'CRYPTO_BAD_RECEIPT');
    }
  });

  it('derives the same keys from any spelling, and different keys from another receipt', () => {
    const a = c.deriveSourceKeys('1234 5678 9012 3456 7890', LIGHT);
    expect(c.deriveSourceKeys('12345678901234567890', LIGHT)).toEqual(a);
    expect(a.tokenHash).toEqual(c.hashSourceToken(a.token));
    expect(a.token).toHaveLength(32);
    const b = c.deriveSourceKeys('1234 5678 9012 3456 7891', LIGHT);
    expect(b.keyPair.publicKey).not.toEqual(a.keyPair.publicKey);
    expectCode(() => c.deriveSourceKeys('123', LIGHT), 'CRYPTO_BAD_RECEIPT');
    expectCode(() => c.hashSourceToken(new Uint8Array(31)), 'CRYPTO_BAD_LENGTH');
    expect(c.RECEIPT_PWHASH).toEqual({ opsLimit: 3, memLimit: 64 * 1024 * 1024 });
  });
});

describe('key files', () => {
  const keys = c.generateReviewerKeys.bind(null);
  let reviewer: c.ReviewerKeys;
  let text: string;
  beforeAll(() => {
    reviewer = keys();
    text = c.encryptKeyFile(reviewer, 'pass phrase', KF_TEST);
  });

  it('round-trips and records its parameters', () => {
    const f = JSON.parse(text) as c.KeyFileV1;
    expect(f).toMatchObject({
      format: 'sori-keyfile',
      v: 1,
      kdf: { alg: 'argon2id13', ...KF_TEST },
    });
    expect(f.publicKeys.box).toBe(c.toBase64(reviewer.box.publicKey));
    expect(c.decryptKeyFile(text, 'pass phrase')).toEqual(reviewer);
    // NFC: a decomposed spelling of the same passphrase opens the file.
    const t2 = c.encryptKeyFile(reviewer, '\u00e9t\u00e9', KF_TEST);
    expect(c.decryptKeyFile(t2, 'e\u0301te\u0301')).toEqual(reviewer);
  });

  it('refuses wrong passphrase, tamper, unknown versions and weak parameters', () => {
    expectCode(() => c.decryptKeyFile(text, 'wrong'), 'CRYPTO_DECRYPT_FAILED');
    const f = JSON.parse(text) as c.KeyFileV1;
    const edit = (g: (x: c.KeyFileV1) => void): string => {
      const x = JSON.parse(text) as c.KeyFileV1;
      g(x);
      return JSON.stringify(x);
    };
    const ct = c.fromBase64(f.ciphertext);
    ct[5] = (ct[5] ?? 0) ^ 1;
    expectCode(
      () =>
        c.decryptKeyFile(
          edit((x) => (x.ciphertext = c.toBase64(ct))),
          'pass phrase',
        ),
      'CRYPTO_DECRYPT_FAILED',
    );
    expectCode(
      () =>
        c.decryptKeyFile(
          edit((x) => (x.v = 2 as 1)),
          'pass phrase',
        ),
      'CRYPTO_UNKNOWN_VERSION',
    );
    expectCode(
      () =>
        c.decryptKeyFile(
          edit((x) => (x.format = 'x' as 'sori-keyfile')),
          'pass phrase',
        ),
      'CRYPTO_BAD_FORMAT',
    );
    expectCode(
      () =>
        c.decryptKeyFile(
          edit((x) => (x.kdf.opsLimit = 1)),
          'pass phrase',
        ),
      'CRYPTO_BAD_FORMAT',
    );
    expectCode(
      () =>
        c.decryptKeyFile(
          edit((x) => (x.kdf.memLimit = 8192)),
          'pass phrase',
        ),
      'CRYPTO_BAD_FORMAT',
    );
    expectCode(
      () =>
        c.decryptKeyFile(
          edit((x) => (x.kdf.memLimit = 2 ** 40)),
          'pass phrase',
        ),
      'CRYPTO_BAD_FORMAT',
    );
    expectCode(
      () =>
        c.decryptKeyFile(
          edit((x) => (x.nonce = c.toBase64(new Uint8Array(12)))),
          'pass phrase',
        ),
      'CRYPTO_BAD_LENGTH',
    );
    expectCode(
      () =>
        c.decryptKeyFile(
          edit((x) => (x.kdf.salt = 'a=')),
          'pass phrase',
        ),
      'CRYPTO_BAD_ENCODING',
    );
    expectCode(
      () =>
        c.decryptKeyFile(
          edit((x) => (x.publicKeys.sign = c.toBase64(c.randomBytes(32)))),
          'pass phrase',
        ),
      'CRYPTO_BAD_FORMAT',
    );
    expectCode(() => c.decryptKeyFile('{not json', 'pass phrase'), 'CRYPTO_BAD_FORMAT');
    expectCode(() => c.encryptKeyFile(reviewer, 'p', LIGHT), 'CRYPTO_BAD_FORMAT');
  });
});
