/**
 * Recomputes tests/vectors/crypto-v1.json from its own inputs: the contract a second
 * implementation (browser bundle, native backend) must meet byte for byte.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import * as c from '../../../crypto';
import { encodePaddedJson, encryptObjectWithNonce, objectAd } from '../../../crypto/aead';
import { FileDecryptor } from '../../../crypto/file-cipher';
import { encryptKeyFileWith } from '../../../crypto/keyfile';
import { filePlaintext } from '../../vectors/vector-inputs';

/* eslint-disable @typescript-eslint/no-explicit-any -- the vector file is untyped JSON */
const V: any = JSON.parse(readFileSync(join(__dirname, '../../vectors/crypto-v1.json'), 'utf8'));
const h = (s: string): Uint8Array => c.fromHex(s);

beforeAll(() => c.initCrypto());

it('is a v1 vector file', () => {
  expect(V.format).toBe('sori-crypto-vectors');
  expect(V.v).toBe(1);
});

it('hashes', () => {
  for (const t of V.sha256) expect(c.sha256Hex(t.inputUtf8)).toBe(t.sha256);
  const s = c.sha256Stream();
  for (const ch of V.sha256Stream.chunksUtf8) s.update(c.utf8(ch));
  expect(s.digestHex()).toBe(V.sha256Stream.sha256);
});

it('key pairs, key ids, fingerprints', () => {
  const b = c.generateBoxKeyPair(h(V.boxKey.seed));
  expect(c.toHex(b.publicKey)).toBe(V.boxKey.publicKey);
  expect(c.toHex(b.secretKey)).toBe(V.boxKey.secretKey);
  expect(c.keyId(b.publicKey)).toBe(V.boxKey.keyId);
  expect(c.fingerprint(b.publicKey)).toBe(V.boxKey.fingerprint);
  const s = c.generateSignKeyPair(h(V.signKey.seed));
  expect(c.toHex(s.publicKey)).toBe(V.signKey.publicKey);
  expect(c.toHex(s.secretKey)).toBe(V.signKey.secretKey);
});

it('sub-keys', () => {
  for (const k of V.kdf)
    expect(c.toHex(c.deriveSubKey(h(k.key), k.subkeyId, k.context))).toBe(k.subkey);
});

it('AEAD objects and padded JSON', () => {
  for (const o of V.objects) {
    expect(c.toHex(objectAd(o.kind, o.ids))).toBe(o.ad);
    expect(
      c.toHex(encryptObjectWithNonce(h(o.key), o.kind, o.ids, c.utf8(o.plaintextUtf8), h(o.nonce))),
    ).toBe(o.blob);
  }
  const j = V.json;
  expect(c.toHex(encodePaddedJson(JSON.parse(j.valueJson)))).toBe(j.padded);
  expect(c.toHex(encryptObjectWithNonce(h(j.key), j.kind, j.ids, h(j.padded), h(j.nonce)))).toBe(
    j.blob,
  );
  expect(c.decryptJson(h(j.key), j.kind, j.ids[0], h(j.blob))).toEqual(JSON.parse(j.valueJson));
});

it('signatures', () => {
  const s = c.generateSignKeyPair(h(V.signature.seed));
  expect(c.toHex(c.sign(c.utf8(V.signature.messageUtf8), s.secretKey))).toBe(V.signature.signature);
  expect(V.loginChallenge.context).toBe(c.LOGIN_CONTEXT);
  expect(c.toHex(c.signChallenge(h(V.loginChallenge.nonce), s.secretKey))).toBe(
    V.loginChallenge.signature,
  );
  expect(
    c.verifyChallenge(h(V.loginChallenge.signature), h(V.loginChallenge.nonce), s.publicKey),
  ).toBe(true);
});

it('padmé and file sizes', () => {
  for (const p of V.padme) {
    expect(c.padmeLength(p.n)).toBe(p.padmeLength);
    expect(c.encryptedFileSize(p.n)).toBe(p.encryptedFileSize);
  }
});

it('files open to the expected plaintext', () => {
  for (const f of V.files) {
    const ct = h(f.ciphertext);
    expect(ct.length).toBe(f.encryptedSize);
    expect(c.encryptedFileSize(f.size)).toBe(f.encryptedSize);
    const d = new FileDecryptor(h(f.key));
    const pt = c.concatBytes(...d.write(ct), ...d.end());
    expect(pt).toEqual(filePlaintext(f.size));
    expect(c.sha256Hex(pt)).toBe(f.plaintextSha256);
  }
});

it('sealed keys, submissions, records and replies open', () => {
  const box = c.generateBoxKeyPair(h(V.sealedKey.recipientSeed));
  expect(c.toHex(c.openSealedKey(h(V.sealedKey.sealed), box))).toBe(V.sealedKey.key);

  const sub = c.openSubmission(
    V.submission.envelope,
    c.generateBoxKeyPair(h(V.submission.intakeSeed)),
  );
  expect(sub.manifest).toEqual(V.submission.manifest);
  expect(c.toHex(sub.contentKey)).toBe(V.submission.contentKey);
  expect(c.toHex(c.hashSourceToken(c.fromBase64(V.submission.envelope.sourceToken)))).toBe(
    V.submission.sourceTokenHash,
  );

  const r = V.record;
  const reviewer = c.generateBoxKeyPair(h(r.reviewerSeed));
  const rk = c.unwrapRecordKey(h(r.wrapped), reviewer);
  expect(c.toHex(rk)).toBe(r.recordKey);
  expect(c.decryptRecordBody(rk, r.recordId, h(r.bodyBlob))).toEqual(r.body);
  expect(c.decryptEntry(rk, r.recordId, r.entryId, h(r.entryBlob))).toEqual(r.entry);
});

it('record files: sub-keys of R recomputed, the file and a sealed original key open', () => {
  const f = V.recordFile;
  expect(f.context).toBe('sori-fil');
  for (const k of f.subkeys)
    expect(c.toHex(c.recordFileKey(h(f.recordKey), k.subkeyId))).toBe(k.key);
  expect(() => c.recordFileKey(h(f.recordKey), 0)).toThrow(c.CryptoError);
  const ct = h(f.ciphertext);
  expect(ct.length).toBe(c.encryptedFileSize(f.size));
  const d = new FileDecryptor(c.recordFileKey(h(f.recordKey), f.subkeyId));
  const pt = c.concatBytes(...d.write(ct), ...d.end());
  expect(pt).toEqual(filePlaintext(f.size));
  expect(c.sha256Hex(pt)).toBe(f.plaintextSha256);
  const wrong = new FileDecryptor(c.recordFileKey(h(f.recordKey), 1));
  expect(() => [...wrong.write(ct), ...wrong.end()]).toThrow(c.CryptoError);
  const admin = c.generateBoxKeyPair(h(f.originalRecipientSeed));
  expect(c.toHex(c.openFileKey(h(f.originalSealedKey), admin))).toBe(f.originalKey);
});

it('receipt -> source keys at the real Argon2id parameters, and the reply sealed to them', () => {
  const r = V.receipt;
  expect(c.RECEIPT_PWHASH).toEqual({ opsLimit: r.opsLimit, memLimit: r.memLimit });
  expect(c.normaliseReceipt(r.input)).toBe(r.normalised);
  const k = c.deriveSourceKeys(r.input); // default = protocol parameters
  expect(c.toHex(k.keyPair.publicKey)).toBe(r.publicKey);
  expect(c.toHex(k.keyPair.secretKey)).toBe(r.secretKey);
  expect(c.toHex(k.token)).toBe(r.token);
  expect(c.toHex(k.tokenHash)).toBe(r.tokenHash);
  expect(c.openReply(h(V.reply.sealed), k.keyPair)).toEqual(V.reply.message);
});

it('key file at the real parameters', () => {
  const f = V.keyfile;
  const keys = {
    box: c.generateBoxKeyPair(h(f.boxSeed)),
    sign: c.generateSignKeyPair(h(f.signSeed)),
  };
  expect(c.decryptKeyFile(f.text, f.passphrase)).toEqual(keys);
  const params = { opsLimit: f.opsLimit, memLimit: f.memLimit };
  expect(params).toEqual(c.KEYFILE_PWHASH);
  expect(encryptKeyFileWith(keys, f.passphrase, params, h(f.salt), h(f.nonce))).toBe(f.text);
});
