import Redis from 'ioredis';
import { createApiClient } from '../../../console/api-client';
import { withPow } from '../../../console/pow';
import { createLogger } from '../../../core/logger';
import {
  formatPowHeader,
  fromBase64,
  initCrypto,
  leadingZeroBits,
  powHash,
  randomBytes,
  solvePow,
  toBase64,
} from '../../../crypto';
import { createSourceLimits } from '../../../server/limits/source-limits';
import { createPowService } from '../../../server/pow/pow.service';
import { insertTestIntakeKey, startTestApp, type TestApp } from '../../support/app';
import { TEST_REDIS_URL } from '../../support/env';
import { errorCode, newSourceToken, postJson, validBody } from '../server/submission-fixtures';
import { fetchChallenge, solvedHeader } from './pow-client';
import { postForm } from '../page/page-fixtures';

const BASE = 4;
const THRESHOLD = 3;
const TTL = 600;

describe('proof of work and per-token limits on the public API', () => {
  let app: TestApp;
  let redis: Redis;
  let intake: Awaited<ReturnType<typeof insertTestIntakeKey>>;
  let nowMs = Date.now();
  const now = () => nowMs;

  beforeAll(async () => {
    await initCrypto();
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    const key = randomBytes(32);
    const log = createLogger({ level: 'silent' });
    app = await startTestApp({
      guards: (prefix) => ({
        pow: createPowService({
          key,
          redis,
          prefix,
          log,
          now,
          baseDifficulty: BASE,
          maxDifficulty: 10,
          loadThreshold: THRESHOLD,
          ttlSeconds: TTL,
        }),
        limits: createSourceLimits({
          redis,
          prefix,
          key,
          log,
          now,
          limits: { submission: { perDay: 3, burst: 3 }, status: { perDay: 2, burst: 3 } },
        }),
      }),
    });
    intake = await insertTestIntakeKey(app.pool);
  });

  afterAll(async () => {
    await app.close();
    redis.disconnect();
  });

  const submit = (headers: Record<string, string>, token?: Uint8Array) =>
    postJson(
      `${app.url}/v1/submissions`,
      validBody(intake.keyPair, token ? { sourceToken: token } : {}),
      headers,
    );
  const status = (headers: Record<string, string>, token: Uint8Array) =>
    postJson(`${app.url}/v1/submissions/status`, { sourceToken: toBase64(token) }, headers);

  it('refuses a submission or status check without a solution: POW_REQUIRED', async () => {
    const res = await submit({});
    expect(res.status).toBe(428);
    expect(errorCode(res.json)).toBe('POW_REQUIRED');
    const st = await status({}, newSourceToken());
    expect(errorCode(st.json)).toBe('POW_REQUIRED');
  });

  it('refuses a wrong nonce, a forged MAC and garbage: POW_INVALID', async () => {
    const issued = await fetchChallenge(app.url);
    expect(issued.difficulty).toBe(BASE);
    const challenge = fromBase64(issued.challenge);
    const mac = fromBase64(issued.mac);
    const nonce = new Uint8Array(8);
    for (let n = 0; leadingZeroBits(powHash(challenge, nonce)) >= BASE; n++) nonce[7] = n;
    const wrong = await submit({ 'sori-pow': formatPowHeader({ challenge, mac, nonce }) });
    expect(wrong.status).toBe(403);
    expect(errorCode(wrong.json)).toBe('POW_INVALID');

    const good = await solvePow(challenge);
    const forged = formatPowHeader({ challenge, mac: randomBytes(32), nonce: good });
    expect(errorCode((await submit({ 'sori-pow': forged })).json)).toBe('POW_INVALID');
    for (const garbage of ['x', 'a.b', '!!.!!.!!', `${issued.challenge}.${issued.mac}.`]) {
      expect(errorCode((await submit({ 'sori-pow': garbage })).json)).toBe('POW_INVALID');
    }
  });

  it('accepts a valid solution once (202) and refuses its replay: POW_REPLAYED', async () => {
    const header = await solvedHeader(app.url);
    expect((await submit(header)).status).toBe(202);
    const again = await submit(header);
    expect(again.status).toBe(409);
    expect(errorCode(again.json)).toBe('POW_REPLAYED');
    // Only hashes in Redis: no token, no header, no challenge bytes.
    const keys = await redis.keys(`${app.prefix}:pow:*`);
    for (const k of keys) expect(k).toMatch(/^[^:]+:pow:(spent:[0-9a-f]{32}|load:\d+)$/);
  });

  it('refuses a solution past its expiry: POW_EXPIRED', async () => {
    const header = await solvedHeader(app.url);
    nowMs += (TTL + 120) * 1000;
    const res = await submit(header);
    expect(res.status).toBe(403);
    expect(errorCode(res.json)).toBe('POW_EXPIRED');
  });

  it('raises the difficulty under a burst', async () => {
    nowMs += 180_000; // fresh minutes: earlier tests' load no longer counts
    expect((await fetchChallenge(app.url)).difficulty).toBe(BASE);
    for (let i = 0; i < 4 * THRESHOLD; i++) {
      expect((await status(await solvedHeader(app.url), newSourceToken())).status).toBe(200);
    }
    // 12 per minute over a threshold of 3: two doublings, two more bits.
    expect((await fetchChallenge(app.url)).difficulty).toBe(BASE + 2);
    nowMs += 180_000;
    expect((await fetchChallenge(app.url)).difficulty).toBe(BASE);
  });

  it('limits submissions and status checks per source token: 429 with Retry-After', async () => {
    const token = newSourceToken();
    for (let i = 0; i < 3; i++)
      expect((await submit(await solvedHeader(app.url), token)).status).toBe(202);
    const over = await submit(await solvedHeader(app.url), token);
    expect(over.status).toBe(429);
    expect(errorCode(over.json)).toBe('TOO_MANY_REQUESTS');
    const retryAfter = Number(over.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400); // until the next UTC midnight's refill
    // Another token is not affected.
    expect((await submit(await solvedHeader(app.url), newSourceToken())).status).toBe(202);

    const other = newSourceToken();
    for (let i = 0; i < 3; i++)
      expect((await status(await solvedHeader(app.url), other)).status).toBe(200);
    const tooMany = await status(await solvedHeader(app.url), other);
    expect(tooMany.status).toBe(429);
    expect(tooMany.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('refills the buckets at UTC midnight, up to the burst, and keeps only day-grain state', async () => {
    const token = newSourceToken();
    for (let i = 0; i < 3; i++)
      expect((await status(await solvedHeader(app.url), token)).status).toBe(200);
    expect((await status(await solvedHeader(app.url), token)).status).toBe(429);

    // Next day: 2 tokens come back (perDay), not the whole burst of 3.
    nowMs += 86_400_000;
    for (let i = 0; i < 2; i++)
      expect((await status(await solvedHeader(app.url), token)).status).toBe(200);
    expect((await status(await solvedHeader(app.url), token)).status).toBe(429);

    // Three idle days: the bucket is full again but holds no more than the burst.
    nowMs += 3 * 86_400_000;
    for (let i = 0; i < 3; i++)
      expect((await status(await solvedHeader(app.url), token)).status).toBe(200);
    expect((await status(await solvedHeader(app.url), token)).status).toBe(429);

    // What Redis holds: a keyed hash of the token, a token count and a day number; it
    // expires on a day boundary, so not even its TTL tells the second a source came by.
    const keys = await redis.keys(`${app.prefix}:bucket:*`);
    expect(keys.length).toBeGreaterThan(0);
    const today = Math.floor(nowMs / 86_400_000);
    for (const k of keys) {
      expect(k).toMatch(/^[^:]+:bucket:(submission|status):[0-9a-f]{32}$/);
      const fields = await redis.hgetall(k);
      expect(Object.keys(fields).sort()).toEqual(['d', 't']);
      expect(Number(fields.d)).toBeLessThanOrEqual(today);
      const expireAt = Number(await redis.call('EXPIRETIME', k));
      expect(expireAt % 86_400).toBe(0);
    }
    expect(await redis.keys(`${app.prefix}:limit:*`)).toEqual([]);
  });

  it('holds the no-JS receipt page to the same buckets: 429 and the page says so', async () => {
    const receipt = '2468-1357-9024-6813-5790';
    const check = () =>
      postForm(`${app.url}/return?lang=en`, new URLSearchParams({ receipt, lang: 'en' }));
    for (let i = 0; i < 3; i++) expect((await check()).status).toBe(200);
    const over = await check();
    expect(over.status).toBe(429);
    expect(over.headers.get('x-sori-error')).toBe('TOO_MANY_REQUESTS');
    expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(over.html).toContain('limit for checking and sending');
  });

  it('pads status answers: 0 and 3 submissions give the same size', async () => {
    const none = newSourceToken();
    const three = newSourceToken();
    for (let i = 0; i < 3; i++)
      expect((await submit(await solvedHeader(app.url), three)).status).toBe(202);
    const a = await status(await solvedHeader(app.url), none);
    const b = await status(await solvedHeader(app.url), three);
    expect((b.json as { submissions: unknown[] }).submissions).toHaveLength(3);
    expect((a.json as { submissions: unknown[] }).submissions).toHaveLength(0);
    const sizeA = Number(a.headers.get('content-length'));
    expect(sizeA).toBe(Number(b.headers.get('content-length')));
    expect(sizeA % 1024).toBe(0);
  });

  it('lets the console solve when the server demands it (POW_REQUIRED → GET /v1/pow → retry)', async () => {
    const api = createApiClient({ baseUrl: app.url });
    const body = validBody(intake.keyPair);
    const res = await withPow(api, (headers) =>
      api.post<{ id: string }>('/v1/submissions', body, headers),
    );
    expect(res.id).toBe(body.id);
  });
});
