import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Pool } from 'pg';
import { loadConfig } from '../../../core/config';
import { silentLogger } from '../../../core/logger';
import { insertReviewer } from '../../../core/repositories/reviewer.repository';
import { insertRecord, insertRecordKeys } from '../../../core/repositories/record.repository';
import { insertSubmission } from '../../../core/repositories/submission.repository';
import { completeSubmission } from '../../../core/repositories/processing.repository';
import {
  encryptRecordBody,
  fromBase64,
  generateReviewerKeys,
  initCrypto,
  newRecordKey,
  randomBytes,
  randomId,
  sha256,
  signChallenge,
  toBase64,
  wrapRecordKey,
  type Bytes,
  type ReviewerKeys,
} from '../../../crypto';
import { composeReviewApp } from '../../../server/compose';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { insertTestIntakeKey } from '../../support/app';

// The review app in-process on 127.0.0.1:0 with its own schema, and helpers that act as the
// console (real keys, real signatures) and as the worker (records sealed to reviewers).

export interface ReviewTestApp {
  url: string;
  pool: Pool;
  db: TestDatabase;
  close(): Promise<void>;
}

export async function startReviewApp(env: Record<string, string> = {}): Promise<ReviewTestApp> {
  await initCrypto();
  const config = loadConfig({ NODE_ENV: 'test', ...env });
  const db = await createTestDatabase();
  const app = composeReviewApp({ pool: db.pool, config, log: silentLogger });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    pool: db.pool,
    db,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await db.drop();
    },
  };
}

export interface Res {
  status: number;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read answers loosely
  headers: Headers;
}

export async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<Res> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json, headers: res.headers };
}

export const code = (r: Res): string | undefined => r.json?.error?.code;

export interface TestReviewer {
  id: string;
  name: string;
  keys: ReviewerKeys;
}

export async function enrol(
  pool: Pool,
  name: string,
  role: 'reviewer' | 'admin' = 'reviewer',
): Promise<TestReviewer> {
  const keys = generateReviewerKeys();
  const id = randomId();
  await insertReviewer(pool, {
    id,
    name,
    role,
    boxPublicKey: keys.box.publicKey,
    signPublicKey: keys.sign.publicKey,
  });
  return { id, name, keys };
}

/** Challenge, sign as the console does, open a session. */
export async function loginRaw(
  base: string,
  r: Pick<TestReviewer, 'keys'>,
  nonce?: Bytes,
): Promise<Res> {
  const signPublicKey = toBase64(r.keys.sign.publicKey);
  let n = nonce;
  if (!n) {
    const ch = await call(base, 'POST', '/v1/auth/challenge', { body: { signPublicKey } });
    n = fromBase64(ch.json.nonce as string);
  }
  const signature = toBase64(signChallenge(n, r.keys.sign.secretKey));
  return call(base, 'POST', '/v1/auth/session', {
    body: { signPublicKey, nonce: toBase64(n), signature },
  });
}

export async function login(base: string, r: TestReviewer): Promise<string> {
  const res = await loginRaw(base, r);
  if (res.status !== 200)
    throw new Error(`login failed: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json.token as string;
}

export interface SeededRecord {
  id: string;
  submissionId: string;
  recordKey: Bytes;
  receivedOn: string;
  body: unknown;
}

/** What the worker stores for one testimony: submission (done), record, keys sealed to readers. */
export async function seedRecord(
  pool: Pool,
  readers: readonly TestReviewer[],
  o: {
    receivedOn?: string;
    language?: string;
    translated?: boolean;
    sourceTokenHash?: Bytes | null;
    /** The decrypted body to seal (default: a minimal one naming the record). */
    body?: object;
  } = {},
): Promise<SeededRecord> {
  const existing = await pool.query<{ id: string }>(
    `SELECT id FROM intake_keys WHERE status = 'current'`,
  );
  const intakeKeyId = existing.rows[0]?.id ?? (await insertTestIntakeKey(pool)).id;
  const submissionId = randomId();
  await insertSubmission(pool, {
    id: submissionId,
    intakeKeyId,
    sealedKey: Uint8Array.of(1, ...randomBytes(80)),
    manifest: Uint8Array.of(1, ...randomBytes(100)),
    envelopeSha256: randomBytes(32),
    sourceTokenHash: o.sourceTokenHash === undefined ? randomBytes(32) : o.sourceTokenHash,
  });
  await completeSubmission(pool, submissionId);
  const id = randomId();
  const receivedOn = o.receivedOn ?? new Date().toISOString().slice(0, 10);
  const recordKey = newRecordKey();
  const body = o.body ?? { v: 1, text: `증언 ${id}`, lang: { code: o.language ?? 'ko' } };
  const sealed = encryptRecordBody(recordKey, id, body);
  await insertRecord(pool, {
    id,
    submissionId,
    body: sealed,
    bodySha256: sha256(sealed),
    receivedOn,
    language: o.language ?? 'ko',
    translated: o.translated ?? false,
  });
  await insertRecordKeys(
    pool,
    id,
    readers.map((r) => ({
      reviewerId: r.id,
      wrappedKey: wrapRecordKey(recordKey, r.keys.box.publicKey),
    })),
  );
  return { id, submissionId, recordKey, receivedOn, body };
}

export async function auditActions(
  pool: Pool,
): Promise<Array<{ reviewer_id: string | null; action: string; record_id: string | null }>> {
  const { rows } = await pool.query(
    `SELECT reviewer_id, action, record_id FROM audit_log ORDER BY id`,
  );
  return rows;
}
