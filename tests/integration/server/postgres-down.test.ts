import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../../core/config';
import { createPool } from '../../../core/db';
import { silentLogger } from '../../../core/logger';
import { generateBoxKeyPair, initCrypto } from '../../../crypto';
import { composeServer } from '../../../server/compose';
import { postgresCheck } from '../../../server/health/readiness.service';
import { errorCode, postJson, validBody } from './submission-fixtures';

// Without Postgres nothing can be accepted (invariant 4): the answer is a retryable 503,
// never a 202 and never a bare 500.

describe('intake: Postgres down', () => {
  const pool = createPool('postgres://postgres@127.0.0.1:1/none', { max: 2 });
  let server: Server;
  let url: string;

  beforeAll(async () => {
    await initCrypto();
    const { publicApp: app } = composeServer({
      pool,
      producer: { enqueue: () => Promise.reject(new Error('not reached')) },
      config: loadConfig({}),
      log: silentLogger,
      readiness: [postgresCheck(pool)],
    });
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await pool.end();
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After', async () => {
    const res = await postJson(`${url}/v1/submissions`, validBody(generateBoxKeyPair()));
    expect([res.status, errorCode(res.json)]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    expect(res.headers.get('retry-after')).toBe('30');
    const key = await fetch(`${url}/v1/intake-key`);
    expect(key.status).toBe(503);
  });

  it('reports postgres down on /readyz', async () => {
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ checks: { postgres: 'down' } });
  });
});
