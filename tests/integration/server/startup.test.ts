import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { initCrypto } from '../../../crypto';
import { insertTestIntakeKey } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../../support/env';
import { freePort, startRedisServer, type RedisServer } from '../../support/redis-server';
import { spawnMain, type SpawnedMain } from '../../support/spawn-main';
import { createTestKeys } from '../../support/worker';

// Start-up as a newcomer meets it: the real server and worker processes, each given one bad
// setting, must stop with one sentence naming the setting and its fix, and a non-zero status.

jest.setTimeout(90_000);

let db: TestDatabase;
let bare: TestDatabase;
let evicting: RedisServer;
const spawned: SpawnedMain[] = [];
const prefix = `st${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  await initCrypto();
  db = await createTestDatabase();
  bare = await createTestDatabase({ migrate: false });
  evicting = await startRedisServer();
  const r = new Redis(evicting.url);
  await r.config('SET', 'maxmemory-policy', 'allkeys-lru');
  r.disconnect();
});
afterAll(async () => {
  for (const s of spawned) s.kill();
  await evicting.stop();
  await db.drop();
  await bare.drop();
});

async function run(entry: 'server/main.ts' | 'worker/main.ts', env: Record<string, string>) {
  const p = spawnMain(entry, {
    QUEUE_PREFIX: prefix,
    PUBLIC_PORT: String(await freePort()),
    REVIEW_PORT: String(await freePort()),
    ...env,
  });
  spawned.push(p);
  const { code } = await p.exited;
  return { code, text: p.output() };
}

const missingDbUrl = (() => {
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = `/sori_missing_${randomBytes(4).toString('hex')}`;
  return u.toString();
})();

describe.each(['server/main.ts', 'worker/main.ts'] as const)('%s refuses to start', (entry) => {
  let keyEnv: Record<string, string> = {};
  beforeAll(async () => {
    const keys = await createTestKeys();
    keyEnv =
      entry === 'worker/main.ts'
        ? { INTAKE_SECRET_KEY: keys.intakeJson, WORKER_KEY: keys.workerJson }
        : {};
  });

  it('when the database does not exist, saying how to create it', async () => {
    const r = await run(entry, {
      ...keyEnv,
      DATABASE_URL: missingDbUrl,
      REDIS_URL: TEST_REDIS_URL,
    });
    expect(r.code).toBe(1);
    expect(r.text).toMatch(/The database "sori_missing_\w+" named in DATABASE_URL does not exist/);
    expect(r.text).toContain('npm run migrate -- --create');
    expect(r.text).not.toContain('3D000');
  });

  it('when Postgres is not reachable', async () => {
    const r = await run(entry, {
      ...keyEnv,
      DATABASE_URL: 'postgres://sori:hunter2secret@127.0.0.1:1/sori',
      REDIS_URL: TEST_REDIS_URL,
    });
    expect(r.code).toBe(1);
    expect(r.text).toContain('Postgres is not reachable at 127.0.0.1:1 (DATABASE_URL)');
    expect(r.text).not.toContain('hunter2secret');
  });

  it('when the schema is not migrated', async () => {
    const r = await run(entry, { ...keyEnv, DATABASE_URL: bare.url, REDIS_URL: TEST_REDIS_URL });
    expect(r.code).toBe(1);
    expect(r.text).toMatch(
      /lacks \d+ migration\(s\) \(first: 001_\w+\.sql\): run `npm run migrate`/,
    );
  });

  it('when Redis is not reachable', async () => {
    const r = await run(entry, {
      ...keyEnv,
      DATABASE_URL: db.url,
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(r.code).toBe(1);
    expect(r.text).toContain('Redis is not reachable at 127.0.0.1:1 (REDIS_URL)');
  });

  it('when Redis may evict keys', async () => {
    const r = await run(entry, { ...keyEnv, DATABASE_URL: db.url, REDIS_URL: evicting.url });
    expect(r.code).toBe(1);
    expect(r.text).toContain('has maxmemory-policy allkeys-lru');
    expect(r.text).toContain('set `maxmemory-policy noeviction`');
  });
});

describe('worker keys', () => {
  it('a missing key file names the variable and how to draw the keys', async () => {
    const r = await run('worker/main.ts', {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      INTAKE_SECRET_KEY_FILE: '/nonexistent/intake-key.json',
      WORKER_KEY_FILE: '/nonexistent/worker-key.json',
    });
    expect(r.code).toBe(1);
    expect(r.text).toContain(
      'INTAKE_SECRET_KEY_FILE: cannot read /nonexistent/intake-key.json: draw the keys with `npm run keys:init -- DIR`',
    );
  });
});

describe('a server up before the worker', () => {
  it('is live but not ready, and says to start the worker; ready once a key exists', async () => {
    const port = await freePort();
    const server = spawnMain('server/main.ts', {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      PUBLIC_PORT: String(port),
      REVIEW_PORT: String(await freePort()),
    });
    spawned.push(server);
    await server.waitFor('server.listening');
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({
      checks: { postgres: 'ok', schema: 'ok', redis: 'ok', intakeKey: 'down' },
    });
    const missing = await fetch(`${base}/v1/intake-key`);
    expect(missing.status).toBe(503);
    const body = (await missing.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('INTAKE_KEY_MISSING');
    expect(body.error.message).toContain('start the worker');

    await insertTestIntakeKey(db.pool);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  });
});

describe('shutdown', () => {
  it('exits on SIGTERM even when its stdout pipe is gone', async () => {
    const server = spawnMain('server/main.ts', {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      PUBLIC_PORT: String(await freePort()),
      REVIEW_PORT: String(await freePort()),
      // Much longer than the test's own timeout would allow a hung process to be noticed in:
      // the exit must come from the graceful path, not from the deadline.
      SHUTDOWN_DEADLINE_MS: '600000',
    });
    spawned.push(server);
    await server.waitFor('server.listening');
    // As `node dist/server/main.js | tee log` after Ctrl-C: the reader of stdout is gone.
    server.child.stdout?.destroy();
    server.child.kill('SIGTERM');
    const { code, signal } = await server.exited;
    expect(signal).toBeNull();
    expect(code).toBe(0);
  });
});
