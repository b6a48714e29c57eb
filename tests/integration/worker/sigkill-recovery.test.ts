import { startTestApp, type TestApp } from '../../support/app';
import {
  startLibreTranslateStub,
  type LibreTranslateStub,
} from '../../support/libretranslate-stub';
import { TEST_REDIS_URL } from '../../support/env';
import {
  createTestKeys,
  spawnWorker,
  type SpawnedWorker,
  type TestKeys,
} from '../../support/worker';
import {
  enrolReviewer,
  readRecord,
  recordsFor,
  submissionRow,
  submitOverHttp,
  verifyCustody,
  waitFor,
  type TestReviewer,
} from './worker-fixtures';

// Invariant 4: a worker killed mid-job (SIGKILL: no cleanup, no lock release) leaves the job
// to be found stalled and retried by the next worker, and the result is stored exactly once.

jest.setTimeout(60_000);

describe('worker killed mid-job', () => {
  let app: TestApp;
  let stub: LibreTranslateStub;
  let keys: TestKeys;
  let reviewer: TestReviewer;
  const children: SpawnedWorker[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    stub = await startLibreTranslateStub();
    keys = await createTestKeys();
    reviewer = await enrolReviewer(app.pool);
  });

  afterAll(async () => {
    for (const child of children) await child.stop('SIGKILL');
    await stub?.close();
    await app?.close();
  });

  function spawn(): SpawnedWorker {
    const child = spawnWorker({
      DATABASE_URL: app.db.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: app.prefix,
      INTAKE_SECRET_KEY: keys.intakeJson,
      WORKER_KEY: keys.workerJson,
      TRANSLATOR: 'libretranslate',
      LIBRETRANSLATE_URL: stub.url,
      // Short lock and stalled check, so the dead worker's job is recovered within seconds.
      WORKER_LOCK_DURATION_MS: '1000',
      WORKER_STALLED_INTERVAL_MS: '500',
    });
    children.push(child);
    return child;
  }

  it('the next worker recovers the stalled job and stores one record', async () => {
    const first = spawn();
    await first.waitForOutput('"worker.started"');
    stub.setBehaviour({ kind: 'hang' }); // the job sits in translation until killed

    const id = await submitOverHttp(app.url, keys.intake.publicKey, { text: '여권을 빼앗겼어요.' });
    await waitFor('the job to reach the engine', async () =>
      stub.requests.some((r) => r.path === '/translate'),
    );
    expect(await first.stop('SIGKILL')).toBeNull();
    expect(await submissionRow(app.pool, id)).toMatchObject({ status: 'processing', attempts: 1 });
    expect(await recordsFor(app.pool, id)).toEqual([]);

    stub.setBehaviour({ kind: 'normal' });
    const second = spawn();
    const [record] = await waitFor(
      'record',
      async () => {
        const rows = await recordsFor(app.pool, id);
        return rows.length ? rows : null;
      },
      30_000,
    );
    await second.waitForOutput('"job.completed"');
    expect(second.output()).toContain('"job.stalled"');

    expect(await recordsFor(app.pool, id)).toHaveLength(1);
    expect(await submissionRow(app.pool, id)).toMatchObject({
      status: 'done',
      attempts: 2,
      sealed_key: null,
    });
    const { body } = await readRecord(app.pool, record!.id, reviewer);
    expect(body.translation).toMatchObject({ text: 'They took my passport.' });
    expect((await verifyCustody(app.pool)).verdict).toMatchObject({ ok: true, count: 1 });

    // Graceful stop: SIGTERM lets it finish and exit 0.
    expect(await second.stop('SIGTERM')).toBe(0);
    expect(second.output()).toContain('"worker.stopped"');
    // Debug-level logs of both processes hold ids and codes, never the testimony.
    for (const child of [first, second]) expect(child.output()).not.toContain('여권');
  });
});
