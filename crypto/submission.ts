/**
 * Submission envelope v1: the JSON body a client POSTs to the intake API. The server sees
 * only the intake key id, a sealed content key K, the encrypted manifest and upload ids.
 */
import { decryptJson, encryptJson } from './aead';
import { fromBase64, randomBytes, randomId, toBase64, type Bytes } from './encoding';
import { CryptoError, expectLength } from './errors';
import { KDF, keyId, openSealedKey, sealKey, type BoxKeyPair } from './keys';
import { KEY_BYTES, kdfDerive } from './sodium';

export interface SubmissionAttachment {
  uploadId: string;
  name: string;
  type: string;
  size: number;
  sha256: string;
  subkeyId: number;
}

export interface SubmissionManifest {
  text: string;
  lang?: string;
  answers?: Record<string, unknown>;
  sourcePublicKey?: string;
  attachments?: SubmissionAttachment[];
}

export interface SubmissionEnvelopeV1 {
  v: 1;
  id: string;
  intakeKeyId: string;
  sealedKey: string;
  manifest: string;
  /** The raw token (b64); the server stores only hashSourceToken(token). */
  sourceToken?: string;
  uploads?: string[];
}

const manifestKey = (k: Bytes): Bytes => kdfDerive(k, KDF.manifest.id, KDF.manifest.context);

/** Key for the attachment listed with `subkeyId` (>= 1) in the manifest; encrypts its file stream. */
export function attachmentKey(contentKey: Bytes, subkeyId: number): Bytes {
  if (!Number.isSafeInteger(subkeyId) || subkeyId < 1)
    throw new CryptoError('CRYPTO_BAD_LENGTH', 'subkeyId must be >= 1');
  return kdfDerive(contentKey, subkeyId, KDF.attachment.context);
}

export function buildSubmission(args: {
  intakePublicKey: Bytes;
  manifest: SubmissionManifest;
  sourceToken?: Bytes;
  id?: string;
  contentKey?: Bytes;
}): { envelope: SubmissionEnvelopeV1; contentKey: Bytes } {
  const contentKey = args.contentKey ?? randomBytes(KEY_BYTES);
  expectLength(contentKey, KEY_BYTES, 'content key');
  checkManifest(args.manifest);
  const id = args.id ?? randomId();
  const envelope: SubmissionEnvelopeV1 = {
    v: 1,
    id,
    intakeKeyId: keyId(args.intakePublicKey),
    sealedKey: toBase64(sealKey(contentKey, args.intakePublicKey)),
    manifest: toBase64(encryptJson(manifestKey(contentKey), 'manifest', id, args.manifest)),
  };
  if (args.sourceToken) {
    expectLength(args.sourceToken, KEY_BYTES, 'source token');
    envelope.sourceToken = toBase64(args.sourceToken);
  }
  const uploads = (args.manifest.attachments ?? []).map((a) => a.uploadId);
  if (uploads.length > 0) envelope.uploads = uploads;
  return { envelope, contentKey };
}

export function openSubmission(
  envelope: SubmissionEnvelopeV1,
  intake: BoxKeyPair,
): { manifest: SubmissionManifest; contentKey: Bytes } {
  if (typeof envelope !== 'object' || envelope === null)
    throw new CryptoError('CRYPTO_BAD_FORMAT', 'envelope must be an object');
  if (envelope.v !== 1)
    throw new CryptoError('CRYPTO_UNKNOWN_VERSION', 'submission envelope version');
  for (const f of ['id', 'intakeKeyId', 'sealedKey', 'manifest'] as const) {
    if (typeof envelope[f] !== 'string' || envelope[f].length === 0) {
      throw new CryptoError('CRYPTO_BAD_FORMAT', `envelope.${f} must be a non-empty string`);
    }
  }
  return openStoredSubmission(
    {
      id: envelope.id,
      intakeKeyId: envelope.intakeKeyId,
      sealedKey: fromBase64(envelope.sealedKey),
      manifest: fromBase64(envelope.manifest),
    },
    intake,
  );
}

/**
 * openSubmission for the parts as the server stored them (bytes, not base64): the worker opens
 * every submission, and a round trip through base64 was three passes over the manifest.
 */
export function openStoredSubmission(
  stored: { id: string; intakeKeyId: string; sealedKey: Bytes; manifest: Bytes },
  intake: BoxKeyPair,
): { manifest: SubmissionManifest; contentKey: Bytes } {
  if (stored.intakeKeyId !== keyId(intake.publicKey)) {
    throw new CryptoError('CRYPTO_WRONG_KEY', 'envelope is sealed to another intake key');
  }
  const contentKey = openSealedKey(stored.sealedKey, intake);
  const manifest = decryptJson<SubmissionManifest>(
    manifestKey(contentKey),
    'manifest',
    stored.id,
    stored.manifest,
  );
  checkManifest(manifest);
  return { manifest, contentKey };
}

/** Only what the cryptography depends on; the worker validates the rest of the schema. */
function checkManifest(m: SubmissionManifest): void {
  if (typeof m !== 'object' || m === null || typeof m.text !== 'string') {
    throw new CryptoError('CRYPTO_BAD_FORMAT', 'manifest.text must be a string');
  }
  const atts: unknown = m.attachments;
  if (atts === undefined) return;
  if (!Array.isArray(atts))
    throw new CryptoError('CRYPTO_BAD_FORMAT', 'manifest.attachments must be an array');
  const seen = new Set<number>();
  for (const a of atts as SubmissionAttachment[]) {
    if (
      typeof a?.uploadId !== 'string' ||
      !Number.isSafeInteger(a.subkeyId) ||
      a.subkeyId < 1 ||
      seen.has(a.subkeyId)
    ) {
      throw new CryptoError(
        'CRYPTO_BAD_FORMAT',
        'each attachment needs an uploadId and a distinct subkeyId >= 1',
      );
    }
    seen.add(a.subkeyId);
  }
}
