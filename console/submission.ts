import { readFileSync } from 'node:fs';
import {
  buildSubmission,
  randomBytes,
  type SubmissionAttachment,
  deriveSourceKeys,
  fingerprint,
  fromBase64,
  generateReceipt,
  keyId,
  toBase64,
  type SubmissionManifest,
} from '../crypto';
import type { ApiClient } from './api-client';
import { uploadAttachment } from './attachments';
import { ConsoleError } from './errors';
import { powHeaderIfAsked, withPow } from './pow';

// An intermediary's submission, encrypted on this machine: a fresh receipt gives the source a
// key pair (replies are sealed to it) and a token (the server keeps its hash); the manifest is
// sealed to the published intake key. The server sees ciphertext and ids only.

export interface IntakeKey {
  id: string;
  publicKey: Uint8Array;
  fingerprint: string;
}

const squash = (fp: string): string => fp.replace(/[\s:-]/g, '').toLowerCase();

/** The published key, checked against its own id and fingerprint and, if given, a pinned one. */
export async function fetchIntakeKey(
  api: ApiClient,
  expectFingerprint?: string,
): Promise<IntakeKey> {
  const k = await api.get<{ id: string; publicKey: string; fingerprint: string }>('/v1/intake-key');
  const publicKey = fromBase64(k.publicKey);
  if (
    publicKey.length !== 32 ||
    keyId(publicKey) !== k.id ||
    fingerprint(publicKey) !== k.fingerprint
  ) {
    throw new ConsoleError(
      'INTAKE_KEY_MISMATCH',
      'The published intake key does not match its own id and fingerprint',
    );
  }
  if (expectFingerprint !== undefined && squash(expectFingerprint) !== squash(k.fingerprint)) {
    throw new ConsoleError(
      'INTAKE_KEY_UNEXPECTED',
      `The intake key fingerprint is ${k.fingerprint}, not the one expected`,
    );
  }
  return { id: k.id, publicKey, fingerprint: k.fingerprint };
}

type Answers = NonNullable<SubmissionManifest['answers']>;

const isAnswer = (v: unknown): boolean =>
  v === null ||
  ['string', 'number', 'boolean'].includes(typeof v) ||
  (Array.isArray(v) && v.every((x) => typeof x === 'string'));

export function readAnswers(path: string): Answers {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new ConsoleError('ANSWERS_BAD', `${path} is not a readable JSON file`);
  }
  if (
    typeof json !== 'object' ||
    json === null ||
    Array.isArray(json) ||
    !Object.values(json).every(isAnswer)
  ) {
    throw new ConsoleError(
      'ANSWERS_BAD',
      `${path} must be a JSON object of strings, numbers, booleans or lists of strings`,
    );
  }
  return json as Answers;
}

/** The tus endpoint beside the intake API the submission goes to. */
const uploadsUrl = (api: ApiClient): string => `${api.baseUrl.replace(/\/+$/, '')}/v1/uploads`;

export interface Submitted {
  id: string;
  status: string;
  receipt: string;
  /** How many files were uploaded with it. */
  attachments: number;
}

export async function submitTestimony(
  api: ApiClient,
  intake: IntakeKey,
  input: { text: string; answers?: Answers; lang?: string; attach?: readonly string[] },
  /** A receipt already given to this source: the submission is a follow-up in their case. */
  existingReceipt?: string,
): Promise<Submitted> {
  // Drawn here, not by buildSubmission: the attachments are encrypted under sub-keys of it first.
  const contentKey = randomBytes(32);
  const attachments: SubmissionAttachment[] = [];
  for (const [i, path] of (input.attach ?? []).entries()) {
    attachments.push(
      await uploadAttachment(uploadsUrl(api), path, contentKey, i + 1, () => powHeaderIfAsked(api)),
    );
  }
  const receipt = existingReceipt ?? generateReceipt();
  const source = deriveSourceKeys(receipt);
  const manifest: SubmissionManifest = {
    text: input.text,
    ...(input.answers ? { answers: input.answers } : {}),
    ...(input.lang ? { lang: input.lang } : {}),
    sourcePublicKey: toBase64(source.keyPair.publicKey),
    ...(attachments.length ? { attachments } : {}),
  };
  const { envelope } = buildSubmission({
    intakePublicKey: intake.publicKey,
    manifest,
    contentKey,
  });
  // The raw token goes in the body (the server hashes it); the envelope's id makes resends
  // after a network error idempotent, so the client retries with this very body.
  const body = { ...envelope, sourceToken: toBase64(source.token) };
  const res = await withPow(api, (headers) =>
    api.post<{ id: string; status: string }>('/v1/submissions', body, headers),
  );
  return { id: res.id, status: res.status, receipt, attachments: attachments.length };
}
