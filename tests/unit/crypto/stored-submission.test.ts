import { readFileSync } from 'fs';
import { join } from 'path';
import * as c from '../../../crypto';
import { expectCode, flip } from './helpers';

// openStoredSubmission: the worker opens the bytes it stored, with the checks of openSubmission.

const V = JSON.parse(readFileSync(join(__dirname, '../../vectors/crypto-v1.json'), 'utf8')) as {
  submission: {
    intakeSeed: string;
    envelope: c.SubmissionEnvelopeV1;
    manifest: unknown;
    contentKey: string;
  };
};

beforeAll(() => c.initCrypto());

function stored(e: c.SubmissionEnvelopeV1): c.StoredSubmissionV1 {
  return {
    id: e.id,
    intakeKeyId: e.intakeKeyId,
    sealedKey: c.fromBase64(e.sealedKey),
    manifest: c.fromBase64(e.manifest),
  };
}

it('opens the test vector from its bytes as openSubmission does from base64', () => {
  const intake = c.generateBoxKeyPair(c.fromHex(V.submission.intakeSeed));
  const bytes = c.openStoredSubmission(stored(V.submission.envelope), intake);
  expect(bytes.manifest).toEqual(V.submission.manifest);
  expect(c.toHex(bytes.contentKey)).toBe(V.submission.contentKey);
  expect(bytes).toEqual(c.openSubmission(V.submission.envelope, intake));
  // A Buffer, as Postgres hands bytea back, opens the same.
  const s = stored(V.submission.envelope);
  const fromDb = { ...s, sealedKey: Buffer.from(s.sealedKey), manifest: Buffer.from(s.manifest) };
  expect(c.openStoredSubmission(fromDb, intake).manifest).toEqual(V.submission.manifest);
});

it('refuses what openSubmission refuses, with the same codes', () => {
  const i = c.generateBoxKeyPair(c.randomBytes(32));
  const { envelope } = c.buildSubmission({
    intakePublicKey: i.publicKey,
    manifest: { text: '증언' },
  });
  const s = stored(envelope);
  expect(c.openStoredSubmission(s, i).manifest).toEqual({ text: '증언' });

  expectCode(() => c.openStoredSubmission({ ...s, id: c.randomId() }, i), 'CRYPTO_DECRYPT_FAILED');
  expectCode(
    () => c.openStoredSubmission(s, c.generateBoxKeyPair(c.randomBytes(32))),
    'CRYPTO_WRONG_KEY',
  );
  expectCode(() => c.openStoredSubmission({ ...s, id: '' }, i), 'CRYPTO_BAD_FORMAT');
  expectCode(() => c.openStoredSubmission({ ...s, intakeKeyId: '' }, i), 'CRYPTO_BAD_FORMAT');
  expectCode(
    () => c.openStoredSubmission({ ...s, sealedKey: new Uint8Array(0) }, i),
    'CRYPTO_BAD_FORMAT',
  );
  expectCode(
    () => c.openStoredSubmission({ ...s, manifest: new Uint8Array(0) }, i),
    'CRYPTO_BAD_FORMAT',
  );
  expectCode(
    () => c.openStoredSubmission({ ...s, manifest: envelope.manifest as unknown as Uint8Array }, i),
    'CRYPTO_BAD_FORMAT',
  );
  expectCode(
    () => c.openStoredSubmission(null as unknown as c.StoredSubmissionV1, i),
    'CRYPTO_BAD_FORMAT',
  );
  for (const at of [0, 30, s.manifest.length - 1]) {
    expectCode(
      () => c.openStoredSubmission({ ...s, manifest: flip(s.manifest, at) }, i),
      at === 0 ? 'CRYPTO_UNKNOWN_VERSION' : 'CRYPTO_DECRYPT_FAILED',
    );
  }
  const other = c.buildSubmission({
    intakePublicKey: i.publicKey,
    manifest: { text: 'other' },
    id: envelope.id,
  });
  expectCode(
    () => c.openStoredSubmission({ ...s, sealedKey: c.fromBase64(other.envelope.sealedKey) }, i),
    'CRYPTO_DECRYPT_FAILED',
  );
  expectCode(
    () => c.openStoredSubmission({ ...s, sealedKey: flip(s.sealedKey, 5) }, i),
    'CRYPTO_DECRYPT_FAILED',
  );
});
