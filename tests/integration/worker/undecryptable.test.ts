import type { Queue, QueueEvents } from 'bullmq';
import { jobId } from '../../../core/queue';
import { buildSubmission, fromBase64, toBase64 } from '../../../crypto';
import type { SoriWorker } from '../../../worker/create-worker';
import { obliterate } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createTestKeys, startWorker, type TestKeys } from '../../support/worker';
import {
  enrolReviewer,
  insertEnvelope,
  submissionRow,
  testQueue,
  waitFor,
} from './worker-fixtures';

// What no retry can fix fails at once (UnrecoverableError): the submission is marked failed
// with the code and its ciphertext dropped; no record is made.

describe('undecryptable or malformed submissions', () => {
  let db: TestDatabase;
  let keys: TestKeys;
  let worker: SoriWorker;
  let queue: Queue;
  let events: QueueEvents;
  let closeQueue: () => Promise<void>;
  const prefix = `test-undec-${process.pid}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    keys = await createTestKeys();
    await enrolReviewer(db.pool);
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
    const job = await queue.add(
      'process-submission',
      { submissionId },
      {
        jobId: jobId('process-submission', { submissionId }),
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

  it('a manifest that decrypts but breaks the schema fails as MANIFEST_INVALID', async () => {
    const { envelope } = buildSubmission({
      intakePublicKey: keys.intake.publicKey,
      // Answers must be an object of scalars; a client sending anything else is broken.
      manifest: { text: '증언', answers: { q1: { nested: true } } },
    });
    const id = await insertEnvelope(db.pool, envelope);
    const job = await runToFailure(id);
    expect(job.failedReason).toBe('MANIFEST_INVALID');
    expect(job.attemptsMade).toBe(1);
    expect(await submissionRow(db.pool, id)).toMatchObject({
      status: 'failed',
      failure_code: 'MANIFEST_INVALID',
      sealed_key: null,
    });
    expect(await countRecords()).toBe(0);
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
      { submissionId: id },
      { attempts: 2, backoff: { type: 'fixed', delay: 50 } },
    );
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow('INTAKE_KEY_UNAVAILABLE');
    expect((await queue.getJob(job.id!))!.attemptsMade).toBe(2);
    const row = await waitFor('row', () => submissionRow(db.pool, id));
    expect(row.status).toBe('processing');
    expect(row.sealed_key).not.toBeNull();
  });
});
