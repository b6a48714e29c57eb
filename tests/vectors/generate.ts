/**
 * Writes tests/vectors/crypto-v1.json: known-answer vectors for every Sori v1 format, so a
 * second implementation (the browser bundle, a native backend) can prove byte compatibility.
 * Run: node -r @swc-node/register tests/vectors/generate.ts
 *
 * Deterministic outputs are recomputed by tests/unit/crypto/vectors.test.ts. Sealed boxes and
 * secretstream headers draw fresh randomness inside libsodium, so for those the file holds one
 * fixed blob and the expected result of opening it; re-running this script changes only those.
 */
import { writeFileSync } from 'fs';
import { join } from 'path';
import * as c from '../../crypto';
import { encodePaddedJson, encryptObjectWithNonce, objectAd } from '../../crypto/aead';
import { encryptKeyFileWith, KEYFILE_PWHASH } from '../../crypto/keyfile';
import { KDF } from '../../crypto/keys';
import { RECEIPT_PWHASH, RECEIPT_SALT } from '../../crypto/receipt';
import { collect, filePlaintext, seedFor } from './vector-inputs';

const hex = c.toHex;

async function main(): Promise<void> {
  await c.initCrypto();
  const boxSeed = seedFor('box'),
    signSeed = seedFor('sign');
  const box = c.generateBoxKeyPair(boxSeed),
    signer = c.generateSignKeyPair(signSeed);
  const key = seedFor('aead-key'),
    nonce = seedFor('aead-nonce').subarray(0, 24);

  const kdf = [
    ...Object.entries(KDF)
      .filter(([, v]) => 'id' in v)
      .map(([name, v]) => ({ name, context: v.context, subkeyId: (v as { id: number }).id })),
    { name: 'attachment-1', context: KDF.attachment.context, subkeyId: 1 },
    { name: 'attachment-7', context: KDF.attachment.context, subkeyId: 7 },
  ].map((k) => ({ ...k, key: hex(key), subkey: hex(c.deriveSubKey(key, k.subkeyId, k.context)) }));

  const objects = [
    {
      kind: 'manifest',
      ids: ['0b3c5f1e-8a4d-4b7e-9c2f-1d6e8f0a2b4c'],
      plaintextUtf8: '소리 — voice',
    },
    { kind: 'entry', ids: ['rec-1', 'entry-9'], plaintextUtf8: '' },
  ].map((o) => {
    const pt = c.utf8(o.plaintextUtf8);
    return {
      ...o,
      key: hex(key),
      nonce: hex(nonce),
      ad: hex(objectAd(o.kind, o.ids)),
      blob: hex(encryptObjectWithNonce(key, o.kind, o.ids, pt, nonce)),
    };
  });

  const jsonValue = { text: '저는 2019년에 파견되었습니다.', lang: 'ko', answers: { q1: true } };
  const paddedJson = encodePaddedJson(jsonValue);
  const json = {
    kind: 'record',
    ids: ['rec-42'],
    key: hex(key),
    nonce: hex(nonce),
    valueJson: JSON.stringify(jsonValue),
    padded: hex(paddedJson),
    blob: hex(encryptObjectWithNonce(key, 'record', ['rec-42'], paddedJson, nonce)),
  };

  const fileKey = seedFor('file-key');
  const files = [0, 1, 1000, 65528, 70000].map((size) => {
    const pt = filePlaintext(size);
    const enc = new c.FileEncryptor(fileKey, size);
    const ct = c.concatBytes(enc.header, ...enc.write(pt), ...enc.end());
    return {
      key: hex(fileKey),
      size,
      plaintextSha256: c.sha256Hex(pt),
      padmeLength: c.padmeLength(size),
      encryptedSize: ct.length,
      ciphertext: hex(ct),
    };
  });

  const receiptInput = '１２３４ ５６７８-9012 3456—7890';
  const src = c.deriveSourceKeys(receiptInput);
  const receipt = {
    input: receiptInput,
    normalised: c.normaliseReceipt(receiptInput),
    salt: hex(RECEIPT_SALT),
    ...RECEIPT_PWHASH,
    publicKey: hex(src.keyPair.publicKey),
    secretKey: hex(src.keyPair.secretKey),
    token: hex(src.token),
    tokenHash: hex(src.tokenHash),
  };

  const passphrase = 'correct horse 배터리 staple';
  const kfSalt = seedFor('keyfile-salt').subarray(0, 16),
    kfNonce = seedFor('keyfile-nonce').subarray(0, 24);
  const keyfile = {
    passphrase,
    salt: hex(kfSalt),
    nonce: hex(kfNonce),
    boxSeed: hex(boxSeed),
    signSeed: hex(signSeed),
    ...KEYFILE_PWHASH,
    text: encryptKeyFileWith({ box, sign: signer }, passphrase, KEYFILE_PWHASH, kfSalt, kfNonce),
  };

  const message = c.utf8('custody entry 1');
  const challenge = seedFor('challenge');
  const contentKey = seedFor('content-key');
  const manifest: c.SubmissionManifest = {
    text: 'testimony',
    lang: 'en',
    attachments: [
      {
        uploadId: 'u1',
        name: 'a.jpg',
        type: 'image/jpeg',
        size: 3,
        sha256: c.sha256Hex('abc'),
        subkeyId: 1,
      },
    ],
  };
  const sub = c.buildSubmission({
    intakePublicKey: box.publicKey,
    manifest,
    sourceToken: src.token,
    id: '0b3c5f1e-8a4d-4b7e-9c2f-1d6e8f0a2b4c',
    contentKey,
  });
  const recordKey = seedFor('record-key');
  const recordFilePlain = filePlaintext(1000);
  const recordFileEnc = new c.FileEncryptor(c.recordFileKey(recordKey, 3), recordFilePlain.length);
  const originalKey = seedFor('original-key');

  const vectors = {
    format: 'sori-crypto-vectors',
    v: 1,
    description:
      'Known-answer vectors for crypto/PROTOCOL.md v1. All byte strings are lower-case hex unless the field says Utf8/Json/text. "seeds" are SHA-256("sori-vector-seed-" || name).',
    generatedWith: 'libsodium.js (libsodium-wrappers-sumo 0.8.x), tests/vectors/generate.ts',
    notes: {
      deterministic:
        'sha256, sha256Stream, boxKey, signKey, kdf, objects, json, padme, receipt, keyfile, signature, loginChallenge: recompute from the inputs and compare byte for byte.',
      openOnly:
        'sealedKey, files, submission, record, recordFile (ciphertext, originalSealedKey), reply contain randomness drawn inside libsodium (sealed boxes, secretstream headers, random nonces): open the stored blob and compare the result.',
      fileSeeds: 'files[].plaintext is byte i = (i * 31 + 7) mod 256 for i < size.',
      receiptAndKeyfile: 'receipt and keyfile use the real protocol Argon2id parameters.',
    },
    sha256: ['', 'abc', '소리'].map((s) => ({ inputUtf8: s, sha256: c.sha256Hex(s) })),
    sha256Stream: { chunksUtf8: ['ab', 'c', ''], sha256: collect(['ab', 'c', '']) },
    boxKey: {
      seed: hex(boxSeed),
      publicKey: hex(box.publicKey),
      secretKey: hex(box.secretKey),
      keyId: c.keyId(box.publicKey),
      fingerprint: c.fingerprint(box.publicKey),
    },
    signKey: {
      seed: hex(signSeed),
      publicKey: hex(signer.publicKey),
      secretKey: hex(signer.secretKey),
    },
    kdf,
    objects,
    json,
    sealedKey: {
      recipientSeed: hex(boxSeed),
      key: hex(contentKey),
      sealed: hex(c.sealKey(contentKey, box.publicKey)),
    },
    padme: [0, 1, 2, 3, 9, 100, 1000, 4097, 65536, 70000, 1e6, 20e6, 2 ** 40 + 1].map((n) => ({
      n,
      padmeLength: c.padmeLength(n),
      encryptedFileSize: c.encryptedFileSize(n),
    })),
    files,
    receipt,
    keyfile,
    signature: {
      seed: hex(signSeed),
      messageUtf8: 'custody entry 1',
      signature: hex(c.sign(message, signer.secretKey)),
    },
    loginChallenge: {
      seed: hex(signSeed),
      context: c.LOGIN_CONTEXT,
      nonce: hex(challenge),
      signature: hex(c.signChallenge(challenge, signer.secretKey)),
    },
    submission: {
      intakeSeed: hex(boxSeed),
      contentKey: hex(contentKey),
      envelope: sub.envelope,
      manifest,
      sourceTokenHash: hex(src.tokenHash),
    },
    record: {
      reviewerSeed: hex(boxSeed),
      recordKey: hex(recordKey),
      recordId: 'rec-42',
      entryId: 'entry-1',
      body: jsonValue,
      entry: { note: 'checked' },
      wrapped: hex(c.wrapRecordKey(recordKey, box.publicKey)),
      bodyBlob: hex(c.encryptRecordBody(recordKey, 'rec-42', jsonValue)),
      entryBlob: hex(c.encryptEntry(recordKey, 'rec-42', 'entry-1', { note: 'checked' })),
    },
    recordFile: {
      recordKey: hex(recordKey),
      context: 'sori-fil',
      subkeys: [1, 3].map((subkeyId) => ({
        subkeyId,
        key: hex(c.recordFileKey(recordKey, subkeyId)),
      })),
      subkeyId: 3,
      size: recordFilePlain.length,
      plaintextSha256: c.sha256Hex(recordFilePlain),
      ciphertext: hex(
        c.concatBytes(
          recordFileEnc.header,
          ...recordFileEnc.write(recordFilePlain),
          ...recordFileEnc.end(),
        ),
      ),
      originalRecipientSeed: hex(boxSeed),
      originalKey: hex(originalKey),
      originalSealedKey: hex(c.sealFileKey(originalKey, box.publicKey)),
    },
    reply: {
      sourceReceipt: receipt.normalised,
      message: { text: 'Thank you. We received it.' },
      sealed: hex(c.sealToSource(src.keyPair.publicKey, { text: 'Thank you. We received it.' })),
    },
  };
  writeFileSync(join(__dirname, 'crypto-v1.json'), JSON.stringify(vectors, null, 1) + '\n');
  console.log('wrote crypto-v1.json');
}

void main();
