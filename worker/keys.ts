import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { loadEnrolmentRoots } from '../core/enrolment-roots';
import { ConfigError, type Config } from '../core/config';
import { createEnrolmentTrust, type EnrolmentTrust } from './enrolment-trust';
import {
  fingerprint,
  fromBase64,
  keyId,
  newRecordKey,
  openSealedKey,
  sealKey,
  sign,
  toBase64,
  verify,
  type BoxKeyPair,
} from '../crypto';

// The worker's secrets: the intake key pair(s) that open submissions and the worker's own
// box/sign pairs (pending translation keys, custody signatures). They come from files (docker
// secrets) or env values, never from Postgres, so a database dump cannot open a testimony.

export const INTAKE_KEY_FORMAT = 'sori-intake-key';
export const WORKER_KEY_FORMAT = 'sori-worker-key';

export interface KeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

export interface IntakeKey {
  id: string;
  fingerprint: string;
  keyPair: BoxKeyPair;
}

export interface WorkerKey {
  box: BoxKeyPair;
  sign: KeyPair;
  boxId: string;
  signId: string;
}

export interface WorkerKeys {
  /** In the order given: the first is the one to publish when none is current. */
  intake: IntakeKey[];
  intakeById: ReadonlyMap<string, IntakeKey>;
  worker: WorkerKey;
  /** Whose reviewer rows count (ENROLMENT_ROOTS; TRUST_DATABASE when none is set). */
  enrolment: EnrolmentTrust;
}

const b64 = z.string().min(1);
const intakeFile = z.object({
  format: z.literal(INTAKE_KEY_FORMAT),
  v: z.literal(1),
  publicKey: b64,
  secretKey: b64,
});
const pairSchema = z.object({ publicKey: b64, secretKey: b64 });
const workerFile = z.object({
  format: z.literal(WORKER_KEY_FORMAT),
  v: z.literal(1),
  box: pairSchema,
  sign: pairSchema,
});

function fail(variable: string, why: string): never {
  // Never quote the value: it is a secret.
  throw new ConfigError(`Invalid configuration: ${variable}: ${why}`);
}

function parseJson(text: string, variable: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fail(variable, 'not JSON');
  }
}

function decodePair(pair: { publicKey: string; secretKey: string }, variable: string): KeyPair {
  try {
    return { publicKey: fromBase64(pair.publicKey), secretKey: fromBase64(pair.secretKey) };
  } catch {
    return fail(variable, 'keys are not base64url');
  }
}

/** A pair whose halves do not belong together would fail much later and confusingly. */
function checkBoxPair(kp: BoxKeyPair, variable: string): void {
  try {
    const probe = newRecordKey();
    const opened = openSealedKey(sealKey(probe, kp.publicKey), kp);
    if (toBase64(opened) !== toBase64(probe)) fail(variable, 'box key pair does not match');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    fail(variable, 'box key pair does not match');
  }
}

function checkSignPair(kp: KeyPair, variable: string): void {
  const probe = newRecordKey();
  let ok = false;
  try {
    ok = verify(sign(probe, kp.secretKey), probe, kp.publicKey);
  } catch {
    ok = false;
  }
  if (!ok) fail(variable, 'sign key pair does not match');
}

export function parseIntakeKeys(text: string, variable: string): IntakeKey[] {
  const json = parseJson(text, variable);
  const items = Array.isArray(json) ? json : [json];
  if (items.length === 0) fail(variable, 'no key');
  return items.map((item) => {
    const parsed = intakeFile.safeParse(item);
    if (!parsed.success) return fail(variable, `not a ${INTAKE_KEY_FORMAT} v1 file`);
    const keyPair = decodePair(parsed.data, variable);
    checkBoxPair(keyPair, variable);
    return { id: keyId(keyPair.publicKey), fingerprint: fingerprint(keyPair.publicKey), keyPair };
  });
}

export function parseWorkerKey(text: string, variable: string): WorkerKey {
  const parsed = workerFile.safeParse(parseJson(text, variable));
  if (!parsed.success) fail(variable, `not a ${WORKER_KEY_FORMAT} v1 file`);
  const box = decodePair(parsed.data.box, variable);
  const signPair = decodePair(parsed.data.sign, variable);
  checkBoxPair(box, variable);
  checkSignPair(signPair, variable);
  return { box, sign: signPair, boxId: keyId(box.publicKey), signId: keyId(signPair.publicKey) };
}

function readKeyFile(path: string, variable: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    const fix = variable.startsWith('ENROLMENT')
      ? 'check the path, or leave it unset until the first admin exists'
      : `draw the keys with \`npm run keys:init -- DIR\` (or \`node dist/worker/keygen.main.js DIR\`) and point ${variable} at the file there`;
    return fail(variable, `cannot read ${path}: ${fix}`);
  }
}

/** INTAKE_SECRET_KEY_FILE may list several files, comma-separated (key rotation). */
export function loadWorkerKeys(config: Config): WorkerKeys {
  const intake: IntakeKey[] = [];
  if (config.INTAKE_SECRET_KEY_FILE) {
    for (const path of config.INTAKE_SECRET_KEY_FILE.split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      intake.push(
        ...parseIntakeKeys(readKeyFile(path, 'INTAKE_SECRET_KEY_FILE'), 'INTAKE_SECRET_KEY_FILE'),
      );
    }
  } else if (config.INTAKE_SECRET_KEY) {
    intake.push(...parseIntakeKeys(config.INTAKE_SECRET_KEY, 'INTAKE_SECRET_KEY'));
  } else {
    fail(
      'INTAKE_SECRET_KEY_FILE',
      'required by the worker: draw the keys with `npm run keys:init -- DIR` and set it to DIR/intake-key.json',
    );
  }
  const intakeById = new Map<string, IntakeKey>();
  for (const key of intake) if (!intakeById.has(key.id)) intakeById.set(key.id, key);

  let worker: WorkerKey;
  if (config.WORKER_KEY_FILE)
    worker = parseWorkerKey(
      readKeyFile(config.WORKER_KEY_FILE, 'WORKER_KEY_FILE'),
      'WORKER_KEY_FILE',
    );
  else if (config.WORKER_KEY) worker = parseWorkerKey(config.WORKER_KEY, 'WORKER_KEY');
  else
    fail(
      'WORKER_KEY_FILE',
      'required by the worker: draw the keys with `npm run keys:init -- DIR` and set it to DIR/worker-key.json',
    );
  const enrolment = createEnrolmentTrust(loadEnrolmentRoots(config));
  return { intake: [...intakeById.values()], intakeById, worker, enrolment };
}

// One reader for the worker and the review API (core/enrolment-roots.ts).
export { loadEnrolmentRoots };
