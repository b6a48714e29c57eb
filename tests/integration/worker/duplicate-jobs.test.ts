import type { Queue } from 'bullmq';
import { buildSubmission } from '../../../crypto';
import type { SoriWorker } from '../../../worker/create-worker';
import type { JobContext } from '../../../worker/jobs/job-context';
import { processSubmission } from '../../../worker/jobs/process-submission.job';
import { obliterate } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createTestKeys, directJobContext, startWorker, type TestKeys } from '../../support/worker';
import {
  enrolReviewer,
  insertEnvelope,
  recordsFor,
  submissionRow,
  testQueue,
  verifyCustody,
  waitFor,
} from './worker-fixtures';
import { jobTicketOf } from '../../support/stored-submission';

// A submission is stored exactly once however many jobs carry it: duplicates enqueued under
// other ids, handlers racing in one process, and a job arriving after the work is done.

describe('duplicate jobs', () => {
  let db: TestDatabase;
  let keys: TestKeys;
  let worker: SoriWorker;
  let queue: Queue;
  let closeQueue: () => Promise<void>;
  const prefix = `test-dup-${process.pid}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    keys = await createTestKeys();
    await enrolReviewer(db.pool);
    worker = await startWorker({
      pool: db.pool,
      prefix,
      keys: keys.keys,
      config: { WORKER_CONCURRENCY: 8 },
    });
    ({ queue, close: closeQueue } = testQueue(prefix));
  });

  afterAll(async () => {
    await worker?.close();
    await closeQueue?.();
    await obliterate(prefix);
    await db?.drop();
  });

  const submit = (text: string) =>
    insertEnvelope(
      db.pool,
      buildSubmission({ intakePublicKey: keys.intake.publicKey, manifest: { text } }).envelope,
    );

  it('the same submission under several job ids gives one record', async () => {
    const ids = await Promise.all(['하나', '둘', '셋'].map(submit));
    const tickets = await Promise.all(ids.map((id) => jobTicketOf(db.pool, id)));
    await queue.addBulk(
      tickets.flatMap((ticket) =>
        [1, 2, 3, 4].map((n) => ({
          name: 'process-submission',
          data: { ticket },
          opts: { jobId: `dup${n}_${ticket}` },
        })),
      ),
    );
    for (const id of ids) {
      await waitFor('done', async () => (await submissionRow(db.pool, id))?.status === 'done');
    }
    await waitFor(
      'queue drained',
      async () => (await queue.getJobCounts('active', 'wait')).active === 0,
    );
    for (const id of ids) expect(await recordsFor(db.pool, id)).toHaveLength(1);
    const { verdict } = await verifyCustody(db.pool);
    expect(verdict).toMatchObject({ ok: true, count: 3 });
  });

  const context = (): JobContext => directJobContext(db.pool, keys.keys);

  it('handlers racing in one process: one creates, the others find it done', async () => {
    const id = await submit('넷');
    const ctx = context();
    const outcomes = await Promise.all(
      [1, 2, 3].map(() => processSubmission(ctx, { submissionId: id })),
    );
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
    expect(
      outcomes
        .filter((o) => o !== 'created')
        .every((o) => o === 'duplicate' || o === 'already-done'),
    ).toBe(true);
    expect(await recordsFor(db.pool, id)).toHaveLength(1);
    expect(await processSubmission(ctx, { submissionId: id })).toBe('already-done');
    expect(await recordsFor(db.pool, id)).toHaveLength(1);
  });

  it('seals to active reviewers only, and waits (retryable) while there are none', async () => {
    const ctx = context();
    await db.pool.query(`UPDATE reviewers SET revoked_on = current_date`);
    const id = await submit('다섯');
    await expect(processSubmission(ctx, { submissionId: id })).rejects.toMatchObject({
      code: 'NO_REVIEWERS',
    });
    expect(await submissionRow(db.pool, id)).toMatchObject({ status: 'processing' });
    expect((await submissionRow(db.pool, id))!.sealed_key).not.toBeNull();

    const active = await enrolReviewer(db.pool);
    expect(await processSubmission(ctx, { submissionId: id })).toBe('created');
    const [record] = await recordsFor(db.pool, id);
    const { rows } = await db.pool.query(
      `SELECT reviewer_id FROM record_keys WHERE record_id = $1`,
      [record!.id],
    );
    expect(rows).toEqual([{ reviewer_id: active.id }]);
  });
});
