import * as c from '../../../crypto';
import { expectCode, flip } from './helpers';

beforeAll(() => c.initCrypto());

describe('encrypted objects', () => {
  it('round-trips and refuses tamper anywhere, wrong key, swapped AD, version, lengths', () => {
    const k = c.randomBytes(32);
    const pt = c.utf8('testimony');
    const blob = c.encryptObject(k, 'record', 'r1', pt);
    expect(blob).toHaveLength(1 + 24 + pt.length + 16);
    expect(c.decryptObject(k, 'record', 'r1', blob)).toEqual(pt);
    for (let i = 1; i < blob.length; i++)
      expectCode(() => c.decryptObject(k, 'record', 'r1', flip(blob, i)), 'CRYPTO_DECRYPT_FAILED');
    expectCode(
      () => c.decryptObject(c.randomBytes(32), 'record', 'r1', blob),
      'CRYPTO_DECRYPT_FAILED',
    );
    expectCode(() => c.decryptObject(k, 'manifest', 'r1', blob), 'CRYPTO_DECRYPT_FAILED');
    expectCode(() => c.decryptObject(k, 'record', 'r2', blob), 'CRYPTO_DECRYPT_FAILED');
    expectCode(() => c.decryptObject(k, 'record', 'r1', flip(blob, 0)), 'CRYPTO_UNKNOWN_VERSION');
    expectCode(() => c.decryptObject(k, 'record', 'r1', blob.subarray(0, 40)), 'CRYPTO_TRUNCATED');
    expectCode(
      () => c.decryptObject(k, 'record', 'r1', blob.subarray(0, blob.length - 1)),
      'CRYPTO_DECRYPT_FAILED',
    );
    expectCode(() => c.decryptObject(k.subarray(1), 'record', 'r1', blob), 'CRYPTO_BAD_LENGTH');
    expectCode(() => c.encryptObject(k.subarray(1), 'record', 'r1', pt), 'CRYPTO_BAD_LENGTH');
    expectCode(() => c.encryptObject(k, 'record', '', pt), 'CRYPTO_BAD_FORMAT');
  });

  it('pads JSON to 4096-byte blocks', () => {
    const k = c.randomBytes(32);
    const small = c.encryptJson(k, 'manifest', 'm', { text: 'a' });
    const edge = c.encryptJson(k, 'manifest', 'm', { text: 'a'.repeat(4000) });
    const big = c.encryptJson(k, 'manifest', 'm', { text: 'a'.repeat(5000) });
    expect(small).toHaveLength(41 + 4096);
    expect(edge).toHaveLength(41 + 4096);
    expect(big).toHaveLength(41 + 8192);
    expect(c.decryptJson(k, 'manifest', 'm', big)).toEqual({ text: 'a'.repeat(5000) });
    expectCode(() => c.decryptJson(k, 'manifest', 'x', small), 'CRYPTO_DECRYPT_FAILED');
    // Authentic but not padded JSON: a raw object under the same key, kind and id.
    expectCode(
      () => c.decryptJson(k, 'manifest', 'm', c.encryptObject(k, 'manifest', 'm', c.utf8('{}'))),
      'CRYPTO_BAD_FORMAT',
    );
    expectCode(() => c.encryptJson(k, 'manifest', 'm', undefined), 'CRYPTO_BAD_FORMAT');
  });
});

describe('submission envelope', () => {
  const intake = () => c.generateBoxKeyPair();

  it('round-trips and binds the envelope id', () => {
    const i = intake();
    const token = c.randomBytes(32);
    const manifest: c.SubmissionManifest = {
      text: '증언',
      sourcePublicKey: c.toBase64(c.randomBytes(32)),
      attachments: [
        { uploadId: 'u1', name: 'a.jpg', type: 'image/jpeg', size: 3, sha256: 'x', subkeyId: 1 },
      ],
    };
    const { envelope, contentKey } = c.buildSubmission({
      intakePublicKey: i.publicKey,
      manifest,
      sourceToken: token,
    });
    expect(envelope).toMatchObject({ v: 1, intakeKeyId: c.keyId(i.publicKey), uploads: ['u1'] });
    expect(envelope.sourceToken).toBe(c.toBase64(token));
    const opened = c.openSubmission(JSON.parse(JSON.stringify(envelope)), i);
    expect(opened.manifest).toEqual(manifest);
    expect(opened.contentKey).toEqual(contentKey);
    expect(c.attachmentKey(contentKey, 1)).toHaveLength(32);
    expectCode(() => c.attachmentKey(contentKey, 0), 'CRYPTO_BAD_LENGTH');

    expectCode(
      () => c.openSubmission({ ...envelope, id: c.randomId() }, i),
      'CRYPTO_DECRYPT_FAILED',
    );
    expectCode(() => c.openSubmission({ ...envelope, v: 2 as 1 }, i), 'CRYPTO_UNKNOWN_VERSION');
    expectCode(() => c.openSubmission(envelope, intake()), 'CRYPTO_WRONG_KEY');
    expectCode(
      () => c.openSubmission({ ...envelope, manifest: envelope.manifest + '!' }, i),
      'CRYPTO_BAD_ENCODING',
    );
    expectCode(() => c.openSubmission({ ...envelope, sealedKey: '' }, i), 'CRYPTO_BAD_FORMAT');
    const other = c.buildSubmission({
      intakePublicKey: i.publicKey,
      manifest: { text: 'other' },
      id: envelope.id,
    });
    expectCode(
      () => c.openSubmission({ ...envelope, sealedKey: other.envelope.sealedKey }, i),
      'CRYPTO_DECRYPT_FAILED',
    );
    const m = c.fromBase64(envelope.manifest);
    expectCode(
      () => c.openSubmission({ ...envelope, manifest: c.toBase64(flip(m, 30)) }, i),
      'CRYPTO_DECRYPT_FAILED',
    );
    expectCode(
      () => c.openSubmission({ ...envelope, manifest: c.toBase64(flip(m, 0)) }, i),
      'CRYPTO_UNKNOWN_VERSION',
    );
  });

  it('refuses manifests the cryptography cannot use', () => {
    const i = intake();
    const dup = {
      text: 't',
      attachments: [1, 1].map(() => ({
        uploadId: 'u',
        name: 'n',
        type: 't',
        size: 1,
        sha256: 'x',
        subkeyId: 1,
      })),
    };
    expectCode(
      () => c.buildSubmission({ intakePublicKey: i.publicKey, manifest: dup }),
      'CRYPTO_BAD_FORMAT',
    );
    expectCode(
      () =>
        c.buildSubmission({
          intakePublicKey: i.publicKey,
          manifest: { text: 't' },
          contentKey: new Uint8Array(8),
        }),
      'CRYPTO_BAD_LENGTH',
    );
  });
});

describe('records', () => {
  it('wraps R per reviewer and binds record and entry ids', () => {
    const a = c.generateBoxKeyPair(),
      b = c.generateBoxKeyPair();
    const r = c.newRecordKey();
    const wa = c.wrapRecordKey(r, a.publicKey);
    expect(c.unwrapRecordKey(wa, a)).toEqual(r);
    expect(c.unwrapRecordKey(c.wrapRecordKey(c.unwrapRecordKey(wa, a), b.publicKey), b)).toEqual(r); // re-grant
    expectCode(() => c.unwrapRecordKey(wa, b), 'CRYPTO_DECRYPT_FAILED');

    const body = c.encryptRecordBody(r, 'rec1', { text: 'x' });
    expect(c.decryptRecordBody(r, 'rec1', body)).toEqual({ text: 'x' });
    expectCode(() => c.decryptRecordBody(r, 'rec2', body), 'CRYPTO_DECRYPT_FAILED');
    expectCode(() => c.decryptRecordBody(c.newRecordKey(), 'rec1', body), 'CRYPTO_DECRYPT_FAILED');
    expectCode(() => c.decryptRecordBody(r, 'rec1', flip(body, 100)), 'CRYPTO_DECRYPT_FAILED');

    const e = c.encryptEntry(r, 'rec1', 'e1', { note: 'n' });
    expect(c.decryptEntry(r, 'rec1', 'e1', e)).toEqual({ note: 'n' });
    expectCode(() => c.decryptEntry(r, 'rec2', 'e1', e), 'CRYPTO_DECRYPT_FAILED');
    expectCode(() => c.decryptEntry(r, 'rec1', 'e2', e), 'CRYPTO_DECRYPT_FAILED');
    expectCode(() => c.decryptEntry(r, 're', 'c1e1', e), 'CRYPTO_DECRYPT_FAILED');
    expectCode(() => c.decryptRecordBody(r, 'rec1', e), 'CRYPTO_DECRYPT_FAILED'); // entry is not a body
    expectCode(() => c.decryptEntry(r, 'rec1', 'e1', flip(e, 0)), 'CRYPTO_UNKNOWN_VERSION');
    expectCode(() => c.decryptEntry(r, 'rec1', 'e1', e.subarray(0, 10)), 'CRYPTO_TRUNCATED');
    expectCode(() => c.encryptEntry(r.subarray(2), 'rec1', 'e1', {}), 'CRYPTO_BAD_LENGTH');
  });
});

describe('record key sealed to several reviewers at once', () => {
  it('gives each reviewer a sealed key only they open, in the single-copy format', () => {
    const reviewers = [c.generateBoxKeyPair(), c.generateBoxKeyPair(), c.generateBoxKeyPair()];
    const r = c.newRecordKey();
    const wrapped = c.wrapRecordKeyToMany(
      r,
      reviewers.map((k) => k.publicKey),
    );
    expect(wrapped).toHaveLength(3);
    wrapped.forEach((w, i) => {
      expect(w.length).toBe(c.SEALED_KEY_BYTES);
      expect(w.length).toBe(c.wrapRecordKey(r, reviewers[i]!.publicKey).length);
      expect(c.unwrapRecordKey(w, reviewers[i]!)).toEqual(r);
      expectCode(() => c.unwrapRecordKey(w, reviewers[(i + 1) % 3]!), 'CRYPTO_DECRYPT_FAILED');
      expectCode(() => c.unwrapRecordKey(flip(w, 60), reviewers[i]!), 'CRYPTO_DECRYPT_FAILED');
    });
    // One ephemeral key per call (bytes 1..33), never the same across calls.
    expect(wrapped[1]!.subarray(1, 33)).toEqual(wrapped[0]!.subarray(1, 33));
    const again = c.wrapRecordKeyToMany(r, [reviewers[0]!.publicKey]);
    expect(again[0]!.subarray(1, 33)).not.toEqual(wrapped[0]!.subarray(1, 33));
    expect(c.wrapRecordKeyToMany(r, [])).toEqual([]);
    expectCode(() => c.wrapRecordKeyToMany(r, [new Uint8Array(31)]), 'CRYPTO_BAD_LENGTH');
    expectCode(() => c.wrapRecordKeyToMany(r.subarray(1), []), 'CRYPTO_BAD_LENGTH');
  });
});

describe('replies', () => {
  it('opens only for the addressed source key', () => {
    const s = c.generateBoxKeyPair(),
      t = c.generateBoxKeyPair();
    const sealed = c.sealToSource(s.publicKey, { text: 'received' });
    expect(sealed).toHaveLength(1 + 81 + 41 + 4096);
    expect(c.openReply(sealed, s)).toEqual({ text: 'received' });
    expect(c.openFromSource(sealed, s)).toEqual({ text: 'received' });
    expectCode(() => c.openReply(sealed, t), 'CRYPTO_DECRYPT_FAILED');
    for (const i of [1, 2, 50, 82, 83, 200, sealed.length - 1])
      expect(() => c.openReply(flip(sealed, i), s)).toThrow(c.CryptoError);
    expectCode(() => c.openReply(flip(sealed, 0), s), 'CRYPTO_UNKNOWN_VERSION');
    expectCode(() => c.openReply(flip(sealed, 1), s), 'CRYPTO_UNKNOWN_VERSION');
    expectCode(() => c.openReply(flip(sealed, 200), s), 'CRYPTO_DECRYPT_FAILED');
    expectCode(() => c.openReply(sealed.subarray(0, 500), s), 'CRYPTO_TRUNCATED');
    // The body is bound to the recipient's key id: moving it under another sealed key fails.
    const other = c.sealToSource(t.publicKey, { text: 'x' });
    const spliced = c.concatBytes(sealed.subarray(0, 82), other.subarray(82));
    expectCode(() => c.openReply(spliced, s), 'CRYPTO_DECRYPT_FAILED');
    expectCode(() => c.sealToSource(new Uint8Array(31), {}), 'CRYPTO_BAD_LENGTH');
  });
});
