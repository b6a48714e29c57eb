import { Writable } from 'node:stream';
import { createLogger } from '../../../core/logger';
import { initCrypto } from '../../../crypto';
import { insertTestIntakeKey, startTestApp, type TestApp } from '../../support/app';
import { postJson, validBody } from './submission-fixtures';
import { jobTicketOf } from '../../support/stored-submission';
import { redisDump } from '../../support/redis-dump';

// Invariant 2: nothing that identifies a source is kept. The address below is planted in
// every header a proxy might use and then searched for in the database, Redis and the logs.
const ADDRESS = '203.0.113.9';

describe('intake: hardening', () => {
  let app: TestApp;
  const logged: string[] = [];

  beforeAll(async () => {
    await initCrypto();
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logged.push(chunk.toString());
        done();
      },
    });
    app = await startTestApp({ log: createLogger({ level: 'debug' }, sink) });
  });
  afterAll(async () => app.close());

  it('sends the security headers and no X-Powered-By', async () => {
    for (const path of ['/healthz', '/v1/intake-key', '/nope']) {
      const res = await fetch(`${app.url}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain("form-action 'none'");
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('etag')).toBeNull();
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });

  it('reports ready when Postgres and Redis answer', async () => {
    const res = await fetch(`${app.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('leaves no trace of a forwarded client address anywhere', async () => {
    const intake = await insertTestIntakeKey(app.pool);
    const headers = {
      'x-forwarded-for': ADDRESS,
      'x-real-ip': ADDRESS,
      forwarded: `for=${ADDRESS}`,
      'user-agent': `agent-${ADDRESS}`,
    };
    const body = validBody(intake.keyPair);
    expect((await postJson(`${app.url}/v1/submissions`, body, headers)).status).toBe(202);
    expect((await postJson(`${app.url}/v1/submissions`, { v: 1 }, headers)).status).toBe(400);
    await fetch(`${app.url}/v1/unknown`, { headers });

    const dump = await dumpSchema(app);
    expect(dump).toContain(body.id); // the dump does see the data
    expect(dump).not.toContain(ADDRESS);
    expect(dump).not.toContain('127.0.0.1'); // nor the real peer address

    const redisText = await redisDump(app.prefix);
    // The job is there, under its ticket (never the submission's id: issue 11).
    expect(redisText).toContain(await jobTicketOf(app.pool, body.id));
    expect(redisText).not.toContain(body.id);
    expect(redisText).not.toContain(ADDRESS);

    const logs = logged.join('');
    expect(logs).toContain('submission.received');
    expect(logs).not.toContain(ADDRESS);
    expect(logs).not.toContain('127.0.0.1');
    expect(logs).not.toMatch(/"time"|T\d{2}:\d{2}/); // day-level dates only
  });
});

async function dumpSchema(app: TestApp): Promise<string> {
  const { rows: tables } = await app.pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1`,
    [app.db.schema],
  );
  const out: string[] = [];
  for (const { table_name } of tables) {
    const { rows } = await app.pool.query(`SELECT * FROM "${table_name}"`);
    // bytea columns are searched as text too: an address could hide in any column.
    out.push(
      JSON.stringify(rows, (_k, v: unknown) =>
        isBufferJson(v) ? Buffer.from(v.data).toString('latin1') : v,
      ),
    );
  }
  return out.join('\n');
}

function isBufferJson(v: unknown): v is { type: 'Buffer'; data: number[] } {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'Buffer';
}
