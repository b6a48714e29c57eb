import { silentLogger } from '../../../core/logger';
import { createSweeper, type Sweeper } from '../../../server/sweeper';
import type { SoriWorker } from '../../../worker/create-worker';
import { startTestApp, type TestApp } from '../../support/app';
import { startRedisServer, type RedisServer } from '../../support/redis-server';
import { createTestKeys, startWorker, type TestKeys } from '../../support/worker';
import {
  enrolReviewer,
  recordsFor,
  submissionRow,
  submitOverHttp,
  verifyCustody,
  waitFor,
} from './worker-fixtures';

// Postgres, not Redis, is the source of truth: testimonies accepted while Redis is down (and
// a Redis that comes back empty) are still processed, each exactly once, once the sweeper
// re-enqueues them. Runs against a private redis-server, never the shared one.

jest.setTimeout(60_000);

describe('Redis outage', () => {
  let redis: RedisServer;
  let app: TestApp;
  let keys: TestKeys;
  let worker: SoriWorker;
  let sweeper: Sweeper | undefined;

  beforeAll(async () => {
    redis = await startRedisServer();
    app = await startTestApp({ redisUrl: redis.url });
    keys = await createTestKeys();
    await enrolReviewer(app.pool);
    worker = await startWorker({
      pool: app.pool,
      prefix: app.prefix,
      keys: keys.keys,
      redisUrl: redis.url,
    });
  });

  afterAll(async () => {
    await sweeper?.stop();
    await redis?.start(); // let the worker's close() reach Redis
    await worker?.close();
    await app?.close();
    await redis?.stop();
  });

  it('submissions accepted during the outage are processed once Redis is back', async () => {
    await redis.stop();
    const texts = ['첫째 증언', '둘째 증언', '셋째 증언'];
    const ids: string[] = [];
    for (const text of texts)
      ids.push(await submitOverHttp(app.url, keys.intake.publicKey, { text }));
    for (const id of ids) {
      const { rows } = await app.pool.query(
        `SELECT status, queued FROM submissions WHERE id = $1`,
        [id],
      );
      expect(rows[0]).toEqual({ status: 'received', queued: false });
    }

    await redis.start(); // empty: nothing of the lost queue survives
    sweeper = createSweeper({
      pool: app.pool,
      producer: app.producer,
      log: silentLogger,
      intervalMs: 200,
    });
    sweeper.start();

    for (const id of ids) {
      await waitFor(
        'done',
        async () => (await submissionRow(app.pool, id))?.status === 'done',
        30_000,
      );
    }
    for (const id of ids) expect(await recordsFor(app.pool, id)).toHaveLength(1);
    expect((await verifyCustody(app.pool)).verdict).toMatchObject({ ok: true, count: 3 });
  });
});
