import type { Queue, QueueEvents } from 'bullmq';
import { jobId } from '../../../core/queue';
import {
  buildSubmission,
  deriveSubKey,
  encryptJson,
  fromBase64,
  openSubmission,
  toBase64,
} from '../../../crypto';
import type { SoriWorker } from '../../../worker/create-worker';
import { obliterate } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createTestKeys, startWorker, type TestKeys } from '../../support/worker';
import {
  enrolReviewer,
  insertEnvelope,
  readRecord,
  recordsFor,
  submissionRow,
  type TestReviewer,
  testQueue,
  waitFor,
} from './worker-fixtures';
import { jobTicketOf } from '../../support/stored-submission';

// What no retry can fix fails at once (UnrecoverableError): the submission is marked failed
// with the code; bytes nobody can open are dropped, a testimony that decrypted is kept.

/** The manifest sub-key per crypto/PROTOCOL.md: KDF(K, 1, "sori-man"). */
function reencryptManifest(contentKey: Uint8Array, id: string, value: unknown): string {
  return toBase64(encryptJson(deriveSubKey(contentKey, 1, 'sori-man'), 'manifest', id, value));
}

describe('undecryptable or malformed submissions', () => {
  let db: TestDatabase;
  let keys: TestKeys;
  let worker: SoriWorker;
  let queue: Queue;
  let events: QueueEvents;
  let closeQueue: () => Promise<void>;
  let reviewer: TestReviewer;
  const prefix = `test-undec-${process.pid}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    keys = await createTestKeys();
    reviewer = await enrolReviewer(db.pool);
    worker = await startWorker({ pool: db.pool, prefix, keys: keys.keys });
    ({ queue, events, close: closeQueue } = testQueue(prefix));
    await events.waitUntilReady();
  });

  afterAll(async () => {
    await worker?.close();
    await closeQueue?.();
    await obliterate(prefix);
    await db?.drop();
  });

  async function runToFailure(submissionId: string) {
    // Generous attempts: a retried job would show attemptsMade > 1.
    const ticket = await jobTicketOf(db.pool, submissionId);
    const job = await queue.add(
      'process-submission',
      { ticket },
      {
        jobId: jobId('process-submission', { ticket }),
        attempts: 5,
        backoff: { type: 'fixed', delay: 50 },
      },
    );
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow();
    return (await queue.getJob(job.id!))!;
  }

  const countRecords = async () =>
    Number((await db.pool.query(`SELECT count(*) FROM records`)).rows[0].count);

  it('a tampered manifest byte fails with the crypto code, once, and drops the ciphertext', async () => {
    const { envelope } = buildSubmission({
      intakePublicKey: keys.intake.publicKey,
      manifest: { text: '증언' },
    });
    const manifest = fromBase64(envelope.manifest);
    manifest[manifest.length - 5]! ^= 0x01;
    const id = await insertEnvelope(db.pool, { ...envelope, manifest: toBase64(manifest) });

    const job = await runToFailure(id);
    expect(job.failedReason).toBe('CRYPTO_DECRYPT_FAILED');
    expect(job.attemptsMade).toBe(1);
    expect((job.stacktrace ?? []).join('\n')).not.toMatch(/at /); // code only, no stack frames

    const row = await submissionRow(db.pool, id);
    expect(row).toMatchObject({
      status: 'failed',
      failure_code: 'CRYPTO_DECRYPT_FAILED',
      sealed_key: null,
      manifest: null,
      attempts: 1,
    });
    expect(await countRecords()).toBe(0);
  });

  it('a manifest with unusable fields still becomes a record; the dropped fields are named', async () => {
    const { envelope } = buildSubmission({
      intakePublicKey: keys.intake.publicKey,
      // A broken client: a nested answer, an unreadable language tag, a malformed source key.
      manifest: {
        text: '증언',
        lang: null,
        // JSON.parse makes "__proto__" an own key, as it arrives from a client.
        answers: JSON.parse('{"q1":{"nested":true},"q2":"예","__proto__":"x"}'),
        sourcePublicKey: 'not-a-key',
      } as never,
    });
    const id = await insertEnvelope(db.pool, envelope);
    const ticket = await jobTicketOf(db.pool, id);
    const job = await queue.add(
      'process-submission',
      { ticket },
      { jobId: jobId('process-submission', { ticket }) },
    );
    await job.waitUntilFinished(events, 10_000);
    expect(await submissionRow(db.pool, id)).toMatchObject({ status: 'done', manifest: null });
    const [record] = await recordsFor(db.pool, id);
    const { body } = await readRecord(db.pool, record!.id, reviewer);
    expect(body.text).toBe('증언');
    expect(Object.keys(body.answers).sort()).toEqual(['__proto__', 'q2']);
    expect(body.answers.q2).toBe('예');
    expect(body.sourcePublicKey).toBeNull();
    expect(body.rejectedFields).toEqual(['answers (1 unusable)', 'sourcePublicKey']);
  });

  it('a manifest that decrypts but holds no text fails once and keeps its ciphertext', async () => {
    const { envelope } = buildSubmission({
      intakePublicKey: keys.intake.publicKey,
      manifest: { text: '증언' },
    });
    // Re-encrypt a text-less manifest under the same content key, as a broken client would.
    const { contentKey } = openSubmission(envelope, keys.intake);
    const bad = {
      ...envelope,
      manifest: reencryptManifest(contentKey, envelope.id, { answers: {} }),
    };
    const id = await insertEnvelope(db.pool, bad);
    const job = await runToFailure(id);
    expect(job.attemptsMade).toBe(1);
    const row = await submissionRow(db.pool, id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(['CRYPTO_BAD_FORMAT', 'MANIFEST_INVALID']).toContain(row!.failure_code);
    // It decrypted: an operator can reprocess it once the client is fixed.
    expect(row!.sealed_key).not.toBeNull();
    expect(row!.manifest).not.toBeNull();
    expect(await recordsFor(db.pool, id)).toHaveLength(0);
  });

  it('a key the worker does not hold is a retryable problem: the ciphertext is kept', async () => {
    const other = await createTestKeys();
    const { envelope } = buildSubmission({
      intakePublicKey: other.intake.publicKey,
      manifest: { text: '증언' },
    });
    await db.pool.query(
      `INSERT INTO intake_keys (id, public_key, fingerprint, status) VALUES ($1, $2, 'x', 'accepting')`,
      [envelope.intakeKeyId, Buffer.from(other.intake.publicKey)],
    );
    const id = await insertEnvelope(db.pool, envelope);
    const job = await queue.add(
      'process-submission',
      { ticket: await jobTicketOf(db.pool, id) },
      { attempts: 2, backoff: { type: 'fixed', delay: 50 } },
    );
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow('INTAKE_KEY_UNAVAILABLE');
    expect((await queue.getJob(job.id!))!.attemptsMade).toBe(2);
    const row = await waitFor('row', () => submissionRow(db.pool, id));
    expect(row.status).toBe('processing');
    expect(row.sealed_key).not.toBeNull();
  });
});
