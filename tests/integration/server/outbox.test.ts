import { Worker } from 'bullmq';
import {
  createProducer,
  createRedis,
  newJobTicket,
  SUBMISSIONS_QUEUE,
  type Producer,
} from '../../../core/queue';
import { silentLogger } from '../../../core/logger';
import { initCrypto } from '../../../crypto';
import { createBackgroundEnqueue, createBatchedMarker } from '../../../server/intake/outbox';
import { createSweeper } from '../../../server/sweeper';
import { obliterate, insertTestIntakeKey, startTestApp, type TestApp } from '../../support/app';
import { TEST_REDIS_URL } from '../../support/env';
import { jobTicketOf } from '../../support/stored-submission';
import { postJson, validBody } from './submission-fixtures';

// Invariant 4: a Redis outage never loses or delays an answer; Postgres is the outbox and the
// sweeper enqueues what Redis never got, exactly once.

describe('intake: Redis down', () => {
  let app: TestApp;
  let working: Producer | undefined;

  beforeAll(async () => {
    await initCrypto();
    app = await startTestApp({ redisUrl: 'redis://127.0.0.1:1' });
  });
  afterAll(async () => {
    await working?.close();
    await obliterate(app.prefix);
    await app.close();
  });

  it('still answers 202 and leaves queued=false; the sweeper enqueues once', async () => {
    const intake = await insertTestIntakeKey(app.pool);
    const body = validBody(intake.keyPair);
    // No wall-clock bound here (no test may time itself): the producer's offline queue is
    // off, so the enqueue fails at once and the 202 does not wait for Redis.
    const res = await postJson(`${app.url}/v1/submissions`, body);
    expect(res.status).toBe(202);
    const before = await app.pool.query('SELECT queued FROM submissions WHERE id = $1', [body.id]);
    expect(before.rows[0].queued).toBe(false);

    working = createProducer({
      redisUrl: TEST_REDIS_URL,
      prefix: app.prefix,
      attempts: 1,
      backoffMs: 10,
      log: silentLogger,
    });
    const sweeper = createSweeper({
      pool: app.pool,
      producer: working,
      log: silentLogger,
      intervalMs: 60_000,
      trimEvents: () => working!.trimEvents(),
    });
    expect(await sweeper.sweepOnce()).toBe(1);
    expect(await sweeper.sweepOnce()).toBe(1); // re-enqueued by id: still one job
    await sweeper.stop();

    const jobs = await working.queue.getJobs(['waiting', 'delayed', 'active', 'prioritized']);
    expect(jobs.map((j) => j.data)).toEqual([{ ticket: await jobTicketOf(app.pool, body.id) }]);
    const after = await app.pool.query('SELECT queued FROM submissions WHERE id = $1', [body.id]);
    expect(after.rows[0].queued).toBe(true);
    // The event stream pairs job ids (submission ids) with millisecond times: none is kept.
    const redis = createRedis(TEST_REDIS_URL, 'worker');
    const events = await redis.xlen(`${app.prefix}:${SUBMISSIONS_QUEUE}:events`);
    redis.disconnect();
    expect(events).toBe(0);
  });

  it('brings back a job whose attempts ran out, so nothing committed is left behind', async () => {
    const intake = await insertTestIntakeKey(app.pool, 'accepting');
    const body = validBody(intake.keyPair);
    expect((await postJson(`${app.url}/v1/submissions`, body)).status).toBe(202);
    const producer = working!;
    const sweeper = createSweeper({
      pool: app.pool,
      producer,
      log: silentLogger,
      intervalMs: 60_000,
    });
    await sweeper.sweepOnce();
    // A worker whose every attempt fails (e.g. no reviewer enrolled yet for a long time).
    const connection = createRedis(TEST_REDIS_URL, 'worker');
    let calls = 0;
    const failing = new Worker(
      SUBMISSIONS_QUEUE,
      async () => {
        calls++;
        throw new Error('NO_REVIEWERS');
      },
      { connection, prefix: app.prefix },
    );
    failing.on('error', () => undefined);
    await new Promise<void>((resolve) => failing.once('failed', () => resolve()));
    await failing.close();
    connection.disconnect();
    expect(calls).toBeGreaterThanOrEqual(1);
    // The failed job is gone from Redis, so the sweeper's re-add is not a silent no-op.
    await sweeper.sweepOnce();
    const waiting = await producer.queue.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(waiting.map((j) => j.data)).toContainEqual({
      ticket: await jobTicketOf(app.pool, body.id),
    });
    await sweeper.stop();
  });

  it('reports 503 on /readyz with redis down and postgres up', async () => {
    const res = await fetch(`${app.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ checks: { postgres: 'ok', redis: 'down' } });
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});

describe('sweeper lifecycle', () => {
  it('starts, sweeps on its interval and stops without open handles', async () => {
    const app = await startTestApp();
    try {
      const intake = await insertTestIntakeKey(app.pool);
      const id = validBody(intake.keyPair).id;
      const ticket = newJobTicket();
      await app.pool.query(
        `INSERT INTO submissions (id, intake_key_id, sealed_key, manifest, envelope_sha256, job_ticket)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, intake.id, Buffer.alloc(81, 1), Buffer.alloc(41, 1), Buffer.alloc(32), ticket],
      );
      const sweeper = createSweeper({
        pool: app.pool,
        producer: app.producer,
        log: silentLogger,
        intervalMs: 50,
        batchSize: 2,
      });
      sweeper.start();
      for (let i = 0; i < 100; i++) {
        const { rows } = await app.pool.query('SELECT queued FROM submissions WHERE id = $1', [id]);
        if (rows[0].queued) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await sweeper.stop();
      expect(await app.producer.queue.getJob(`process-submission_${ticket}`)).toBeDefined();
    } finally {
      await app.close();
    }
  });
});

describe('batched queued=true marker', () => {
  it('writes marks in one batch on its interval, on flush(), at maxBatch and after stop()', async () => {
    const app = await startTestApp();
    try {
      const intake = await insertTestIntakeKey(app.pool);
      const ids = Array.from({ length: 5 }, () => validBody(intake.keyPair).id);
      for (const id of ids) {
        await app.pool.query(
          `INSERT INTO submissions (id, intake_key_id, sealed_key, manifest, envelope_sha256, job_ticket)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [
            id,
            intake.id,
            Buffer.alloc(81, 1),
            Buffer.alloc(41, 1),
            Buffer.alloc(32),
            newJobTicket(),
          ],
        );
      }
      const queued = async (): Promise<string[]> => {
        const { rows } = await app.pool.query<{ id: string }>(
          'SELECT id FROM submissions WHERE queued ORDER BY id',
        );
        return rows.map((r) => r.id);
      };
      const marker = createBatchedMarker({
        pool: app.pool,
        log: silentLogger,
        intervalMs: 60_000,
        maxBatch: 2,
      });
      const [a, b, c, d, e] = ids as [string, string, string, string, string];
      await marker.mark(a);
      expect(await queued()).toEqual([]); // waits for its interval
      await marker.flush();
      expect(await queued()).toEqual([a]);
      await marker.mark(b);
      await marker.mark(c); // maxBatch reached: written without waiting for the interval
      await marker.flush();
      expect(await queued()).toEqual([a, b, c].sort());
      await marker.mark(d);
      await marker.stop(); // shutdown writes what is pending
      expect(await queued()).toEqual([a, b, c, d].sort());
      await marker.mark(e); // after stop: written at once
      await marker.flush();
      expect(await queued()).toEqual([...ids].sort());
    } finally {
      await app.close();
    }
  });
});

describe('enqueue after the answer', () => {
  it('gathers adds, sends them on settled() and marks only what reached Redis', async () => {
    const app = await startTestApp();
    try {
      const intake = await insertTestIntakeKey(app.pool);
      const rows = Array.from({ length: 3 }, () => ({
        id: validBody(intake.keyPair).id,
        ticket: newJobTicket(),
      }));
      for (const { id, ticket } of rows) {
        await app.pool.query(
          `INSERT INTO submissions (id, intake_key_id, sealed_key, manifest, envelope_sha256, job_ticket)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [id, intake.id, Buffer.alloc(81, 1), Buffer.alloc(41, 1), Buffer.alloc(32), ticket],
        );
      }
      const marker = createBatchedMarker({ pool: app.pool, log: silentLogger, intervalMs: 60_000 });
      // A linger no test waits out: settled() must send what has gathered.
      const background = createBackgroundEnqueue({
        producer: app.producer,
        marker,
        log: silentLogger,
        lingerMs: 60_000,
      });
      const [a, b, c] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
      background.submit(a);
      background.submit(b);
      await background.settled();
      await marker.flush();
      for (const { ticket } of [a, b]) {
        const job = await app.producer.queue.getJob(`process-submission_${ticket}`);
        expect(job?.data).toEqual({ ticket });
      }
      const queuedIds = async (): Promise<string[]> =>
        (await app.pool.query<{ id: string }>('SELECT id FROM submissions WHERE queued')).rows
          .map((r) => r.id)
          .sort();
      expect(await queuedIds()).toEqual([a.id, b.id].sort());

      // Refused by a closed producer: logged, never marked, left for the sweeper.
      await app.producer.close();
      background.submit(c);
      await background.settled();
      await marker.stop();
      expect(await queuedIds()).toEqual([a.id, b.id].sort());
    } finally {
      await app.close();
    }
  });
});
