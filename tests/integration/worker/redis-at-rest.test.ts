import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { silentLogger } from '../../../core/logger';
import { createSweeper } from '../../../server/sweeper';
import type { SoriWorker } from '../../../worker/create-worker';
import { startTestApp, type TestApp } from '../../support/app';
import {
  startLibreTranslateStub,
  type LibreTranslateStub,
} from '../../support/libretranslate-stub';
import { startRedisServer, type RedisServer } from '../../support/redis-server';
import { createTestKeys, startWorker, type TestKeys } from '../../support/worker';
import { enrolReviewer, submissionRow, submitOverHttp, waitFor } from './worker-fixtures';

// Invariant 2 at rest (issue 11): Redis persists with AOF in production, and the file keeps
// BullMQ's millisecond times (job timestamps, event-stream ids, PXAT expiries) after the keys
// are gone. So nothing Redis ever held may name a submission or a record that Postgres can
// still tie to one: submissions go through the real server and worker on a private Redis with
// appendonly yes, then the AOF files and every key are searched for every submission id,
// record id, custody entry hash and live job ticket in Postgres. Postgres itself must hold no
// time finer than the day for submissions, records and the custody log.

jest.setTimeout(60_000);

const COUNT = 6;

/** Every text form an id or hash could take in a Redis command or value. */
function forms(value: string | Buffer): string[] {
  if (Buffer.isBuffer(value)) {
    return [value.toString('hex'), value.toString('base64'), value.toString('base64url')];
  }
  const bare = value.replace(/-/g, '');
  return [value.toLowerCase(), bare.toLowerCase()];
}

function readTree(dir: string): string {
  let out = '';
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    out += statSync(path).isDirectory() ? readTree(path) : readFileSync(path).toString('latin1');
  }
  return out;
}

async function dumpEveryKey(url: string): Promise<string> {
  const redis = new Redis(url);
  try {
    const out: string[] = [];
    for (const key of await redis.keys('*')) {
      out.push(key);
      const type = await redis.type(key);
      if (type === 'string') out.push(String(await redis.get(key)));
      else if (type === 'hash') out.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'list') out.push(...(await redis.lrange(key, 0, -1)));
      else if (type === 'set') out.push(...(await redis.smembers(key)));
      else if (type === 'zset') out.push(...(await redis.zrange(key, 0, -1, 'WITHSCORES')));
      else if (type === 'stream') out.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      else out.push(`<${type}>`);
    }
    return out.join('\n').toLowerCase();
  } finally {
    await redis.quit();
  }
}

describe('Redis at rest: nothing links a precise time to a submission or record', () => {
  let dir: string;
  let redis: RedisServer;
  let app: TestApp;
  let stub: LibreTranslateStub;
  let keys: TestKeys;
  let worker: SoriWorker;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sori-aof-'));
    redis = await startRedisServer({ appendOnlyDir: dir });
    app = await startTestApp({ redisUrl: redis.url });
    stub = await startLibreTranslateStub();
    keys = await createTestKeys();
    await enrolReviewer(app.pool);
    worker = await startWorker({
      pool: app.pool,
      prefix: app.prefix,
      keys: keys.keys,
      redisUrl: redis.url,
      translatorUrl: stub.url,
    });
  });

  afterAll(async () => {
    await worker?.close();
    await stub?.close();
    await app?.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps no submission id, record id, custody hash or live ticket in the AOF or any key', async () => {
    // Every record's first translation fails (two tries each, in whatever order the batches
    // run), so retry-translation jobs (named after records) run too.
    stub.setBehaviour({ kind: 'fail', status: 500, times: 2 * COUNT });
    const ids: string[] = [];
    for (let n = 0; n < COUNT; n++) {
      ids.push(await submitOverHttp(app.url, keys.intake.publicKey, { text: `증언 ${n}` }));
    }
    for (const id of ids)
      await waitFor('done', async () => (await submissionRow(app.pool, id))?.status === 'done');
    await waitFor('translations', async () => {
      const { rows } = await app.pool.query(`SELECT count(*)::int AS n FROM record_pending_keys`);
      return rows[0].n === 0;
    });
    // What the server does on its interval (re-enqueue what is pending, trim the stream).
    const sweeper = createSweeper({
      pool: app.pool,
      producer: app.producer,
      log: silentLogger,
      intervalMs: 60_000,
      trimEvents: () => app.producer.trimEvents(),
    });
    await sweeper.sweepOnce();
    await sweeper.stop();

    const { rows: subs } = await app.pool.query<{ id: string; job_ticket: string | null }>(
      `SELECT id, job_ticket FROM submissions`,
    );
    const { rows: recs } = await app.pool.query<{ id: string }>(`SELECT id FROM records`);
    const { rows: custody } = await app.pool.query<{ entry_hash: Buffer; prev_hash: Buffer }>(
      `SELECT entry_hash, prev_hash FROM custody_log`,
    );
    const { rows: tickets } = await app.pool.query<{ t: string }>(
      `SELECT job_ticket AS t FROM submissions WHERE job_ticket IS NOT NULL
       UNION ALL SELECT job_ticket FROM record_pending_keys`,
    );
    expect(subs).toHaveLength(COUNT);
    expect(recs).toHaveLength(COUNT);
    expect(custody.length).toBeGreaterThanOrEqual(COUNT);
    // Processed: every ticket was spent with its row.
    expect(subs.every((s) => s.job_ticket === null)).toBe(true);

    const needles = [
      ...subs.flatMap((s) => forms(s.id)),
      ...recs.flatMap((r) => forms(r.id)),
      ...custody.flatMap((c) => [...forms(c.entry_hash), ...forms(c.prev_hash)]),
      ...tickets.map((t) => t.t),
    ];
    const aof = readTree(dir);
    const aofLower = aof.toLowerCase();
    const keysText = await dumpEveryKey(redis.url);
    // The AOF did record the run (the jobs under their tickets): the search is not vacuous.
    const named = [...aof.matchAll(/process-submission_([A-Za-z0-9_-]{22})/g)].map((m) => m[1]!);
    expect(new Set(named).size).toBeGreaterThanOrEqual(COUNT);
    expect(aof).toMatch(/retry-translation_[A-Za-z0-9_-]{22}/);
    for (const needle of needles) {
      const n = needle.toLowerCase();
      expect([needle, aofLower.includes(n)]).toEqual([needle, false]);
      expect([needle, keysText.includes(n)]).toEqual([needle, false]);
    }
    // And no ticket Redis remembers still names a row.
    const { rows: live } = await app.pool.query(
      `SELECT 1 FROM submissions WHERE job_ticket = ANY($1::text[])
       UNION ALL SELECT 1 FROM record_pending_keys WHERE job_ticket = ANY($1::text[])`,
      [named],
    );
    expect(live).toHaveLength(0);
  });

  it('rewrites the AOF from the sweeper, so ended jobs leave the disk altogether', async () => {
    expect(readTree(dir)).toMatch(/process-submission_/);
    // A retry job can still be running after its row is done (the worker ends the job after
    // writing Postgres); the rewrite would keep it, so wait until no job is left anywhere. Its
    // "completed" event, added after the first test's trim, is trimmed by the pass below.
    const jobs = new Redis(redis.url);
    try {
      await waitFor('jobs ended', async () => {
        const left = [
          ...(await jobs.keys('*retry-translation_*')),
          ...(await jobs.keys('*:active')),
        ];
        return left.length === 0;
      });
    } finally {
      await jobs.quit();
    }
    let clock = 0;
    const sweeper = createSweeper({
      pool: app.pool,
      producer: app.producer,
      log: silentLogger,
      intervalMs: 60_000,
      // As server/main.ts wires it: the pass trims the event stream, then rewrites the AOF.
      trimEvents: () => app.producer.trimEvents(),
      compactHistory: () => app.producer.compactHistory(),
      compactEveryMs: 1000,
      now: () => clock,
    });
    await sweeper.sweepOnce(); // not due yet
    clock = 1000;
    await sweeper.sweepOnce();
    await sweeper.stop();
    const probe = new Redis(redis.url);
    try {
      await waitFor('rewrite', async () =>
        /aof_rewrite_in_progress:0/.test(await probe.info('persistence')),
      );
      await waitFor('history gone', async () => !/process-submission_/.test(readTree(dir)));
    } finally {
      await probe.quit();
    }
    expect(readTree(dir)).not.toMatch(/retry-translation_|processedOn|finishedOn/);
  });

  it('holds no time finer than the day for submissions, records and the custody log', async () => {
    const tables = [
      'submissions',
      'records',
      'record_keys',
      'record_entries',
      'record_pending_keys',
      'custody_log',
      'blobs',
    ];
    const { rows: columns } = await app.pool.query<{
      table_name: string;
      column_name: string;
      data_type: string;
    }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = ANY($1::text[])`,
      [tables],
    );
    expect(new Set(columns.map((c) => c.table_name))).toEqual(new Set(tables));
    const precise = columns.filter((c) => /^(timestamp|time|interval)/.test(c.data_type));
    expect(precise).toEqual([]);
    const dates = columns.filter((c) => c.data_type === 'date');
    expect(dates.length).toBeGreaterThan(0);

    // Values: no text or JSON column carries a clock time or a millisecond epoch.
    const now = Date.now();
    const epochMs = new RegExp(`\\b${String(now).slice(0, 6)}\\d{7}\\b`);
    const epochS = new RegExp(`\\b${String(Math.floor(now / 1000)).slice(0, 5)}\\d{5}\\b`);
    for (const c of columns.filter((col) => /^(text|jsonb|json|character)/.test(col.data_type))) {
      const { rows } = await app.pool.query<{ v: string | null }>(
        `SELECT "${c.column_name}"::text AS v FROM "${c.table_name}"`,
      );
      for (const { v } of rows) {
        if (v === null) continue;
        const where = `${c.table_name}.${c.column_name}`;
        expect([where, /\d{2}:\d{2}(:\d{2})?/.test(v)]).toEqual([where, false]);
        expect([where, epochMs.test(v) || epochS.test(v)]).toEqual([where, false]);
      }
    }
  });
});
