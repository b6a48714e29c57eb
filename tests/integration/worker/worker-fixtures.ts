import { Queue, QueueEvents } from 'bullmq';
import type { Pool } from 'pg';
import { createRedis, SUBMISSIONS_QUEUE } from '../../../core/queue';
import { verifyChain } from '../../../core/custody';
import { listCustodyEntries } from '../../../core/repositories/custody.repository';
import { insertReviewer } from '../../../core/repositories/reviewer.repository';
import {
  listServiceKeys,
  registerIntakeKey,
} from '../../../core/repositories/service-key.repository';
import { insertSubmission } from '../../../core/repositories/submission.repository';
import {
  buildSubmission,
  decryptEntry,
  decryptRecordBody,
  fingerprint,
  fromBase64,
  generateBoxKeyPair,
  generateSignKeyPair,
  keyId,
  newRecordKey,
  randomBytes,
  randomId,
  sha256,
  unwrapRecordKey,
  type BoxKeyPair,
  type SubmissionEnvelopeV1,
  type SubmissionManifest,
} from '../../../crypto';
import { envelopeSha256 } from '../../../server/intake/envelope-hash';
import { TEST_REDIS_URL } from '../../support/env';
import type { RecordBodyV1, TranslationEntryV1 } from '../../../core/record/record-body';
import type { RecordToStore } from '../../../worker/record-store';
import { waitFor as pollUntil } from '../../support/wait';

// Shared steps of the worker tests: a source submitting, a reviewer reading, a custody check.

/** A published intake key (public half only: the record-store tests never open envelopes). */
export async function registerTestIntakeKey(pool: Pool): Promise<Uint8Array> {
  const publicKey = generateBoxKeyPair().publicKey;
  await registerIntakeKey(pool, {
    id: keyId(publicKey),
    publicKey,
    fingerprint: fingerprint(publicKey),
  });
  return publicKey;
}

/** What a job hands the record store for a submission: an opaque body under a fresh key. */
export function recordToStore(submissionId: string, language = 'ko'): RecordToStore {
  const body = randomBytes(64);
  return {
    record: {
      id: randomId(),
      submissionId,
      body,
      bodySha256: sha256(body),
      receivedOn: '2026-01-01',
      language,
      translated: false,
    },
    recordKey: newRecordKey(),
    pendingKey: null,
    envelopeSha256: sha256(submissionId),
  };
}

export const waitFor = <T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> => pollUntil(what, probe, timeoutMs, 50);

export interface TestReviewer {
  id: string;
  box: BoxKeyPair;
}

export async function enrolReviewer(
  pool: Pool,
  name = `r-${randomId().slice(0, 8)}`,
): Promise<TestReviewer> {
  const box = generateBoxKeyPair();
  const id = randomId();
  await insertReviewer(pool, {
    id,
    name,
    boxPublicKey: box.publicKey,
    signPublicKey: generateSignKeyPair().publicKey,
  });
  return { id, box };
}

/** What a source's client does: encrypt locally, POST the envelope to the public API. */
export async function submitOverHttp(
  appUrl: string,
  intakePublicKey: Uint8Array,
  manifest: SubmissionManifest,
): Promise<string> {
  const { envelope } = buildSubmission({ intakePublicKey, manifest });
  const res = await fetch(`${appUrl}/v1/submissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(envelope),
  });
  if (res.status !== 202) throw new Error(`submission answered ${res.status}`);
  return envelope.id;
}

/** Stores an envelope as the server would, without enqueueing (tests enqueue themselves). */
export async function insertEnvelope(pool: Pool, envelope: SubmissionEnvelopeV1): Promise<string> {
  const sealedKey = fromBase64(envelope.sealedKey);
  const manifest = fromBase64(envelope.manifest);
  await insertSubmission(pool, {
    id: envelope.id,
    intakeKeyId: envelope.intakeKeyId,
    sealedKey,
    manifest,
    envelopeSha256: envelopeSha256({
      ...envelope,
      sealedKey,
      manifest,
      sourceTokenHash: null,
      uploads: [],
    }),
    sourceTokenHash: null,
  });
  return envelope.id;
}

export interface RecordRow {
  id: string;
  body: Buffer;
  language: string;
  translated: boolean;
}

export async function recordsFor(pool: Pool, submissionId: string): Promise<RecordRow[]> {
  const { rows } = await pool.query<RecordRow>(
    `SELECT id, body, language, translated FROM records WHERE submission_id = $1`,
    [submissionId],
  );
  return rows;
}

export async function submissionRow(pool: Pool, id: string) {
  const { rows } = await pool.query<{
    status: string;
    failure_code: string | null;
    sealed_key: Buffer | null;
    manifest: Buffer | null;
    attempts: number;
  }>(`SELECT status, failure_code, sealed_key, manifest, attempts FROM submissions WHERE id = $1`, [
    id,
  ]);
  return rows[0];
}

/** A reviewer's view: unwrap their copy of R, decrypt the body and every entry. */
export async function readRecord(pool: Pool, recordId: string, reviewer: TestReviewer) {
  const key = await pool.query<{ wrapped_key: Buffer }>(
    `SELECT wrapped_key FROM record_keys WHERE record_id = $1 AND reviewer_id = $2`,
    [recordId, reviewer.id],
  );
  const wrapped = key.rows[0]?.wrapped_key;
  if (!wrapped) throw new Error('no record key for this reviewer');
  const r = unwrapRecordKey(wrapped, reviewer.box);
  const record = await pool.query<{ body: Buffer }>(`SELECT body FROM records WHERE id = $1`, [
    recordId,
  ]);
  const body = decryptRecordBody<RecordBodyV1>(r, recordId, record.rows[0]!.body);
  const entries = await pool.query<{ id: string; kind: string; body: Buffer }>(
    `SELECT id, kind, body FROM record_entries WHERE record_id = $1 ORDER BY seq`,
    [recordId],
  );
  return {
    body,
    /** The kind column as the server sees it, next to what the decrypted entry says. */
    kinds: entries.rows.map((e) => e.kind),
    entries: entries.rows.map((e) => decryptEntry<TranslationEntryV1>(r, recordId, e.id, e.body)),
  };
}

/** Waits until the submission is done, then reads its one record as `reviewer`. */
export async function readRecordWhenDone(
  pool: Pool,
  submissionId: string,
  reviewer: TestReviewer,
  timeoutMs = 60_000,
) {
  await waitFor(
    'done',
    async () => (await submissionRow(pool, submissionId))?.status === 'done',
    timeoutMs,
  );
  const [record] = await recordsFor(pool, submissionId);
  return { recordId: record!.id, ...(await readRecord(pool, record!.id, reviewer)) };
}

export async function verifyCustody(pool: Pool) {
  const signers = await listServiceKeys(pool, 'worker-sign');
  const entries = await listCustodyEntries(pool);
  return {
    entries,
    signers,
    verdict: verifyChain(entries, new Map(signers.map((s) => [s.id, new Uint8Array(s.publicKey)]))),
  };
}

/** A queue (and its events) on connections of its own, all closed by close(). */
export function testQueue(prefix: string, redisUrl = TEST_REDIS_URL) {
  const connections = [createRedis(redisUrl, 'worker'), createRedis(redisUrl, 'worker')] as const;
  const queue = new Queue(SUBMISSIONS_QUEUE, { connection: connections[0], prefix });
  const events = new QueueEvents(SUBMISSIONS_QUEUE, { connection: connections[1], prefix });
  return {
    queue,
    events,
    async close() {
      await events.close();
      await queue.close();
      for (const c of connections) c.disconnect();
    },
  };
}
