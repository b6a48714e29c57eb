import Redis from 'ioredis';
import { silentLogger } from '../../../core/logger';
import { initCrypto, randomBytes } from '../../../crypto';
import { createSourceLimits } from '../../../server/limits/source-limits';
import { insertTestIntakeKey, startTestApp, type TestApp } from '../../support/app';
import { TEST_REDIS_URL } from '../../support/env';
import { errorCode, newSourceToken, postJson, validBody } from './submission-fixtures';

// Issue 11: a client that lost its connection before the 202 sends the same envelope again.
// That retry stores nothing new, so it must not spend the receipt's submission tokens a second
// time, nor be refused once the bucket is empty.

describe('identical re-sends and the per-receipt submission budget', () => {
  let app: TestApp;
  let redis: Redis;
  let intake: Awaited<ReturnType<typeof insertTestIntakeKey>>;

  beforeAll(async () => {
    await initCrypto();
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    const key = randomBytes(32);
    app = await startTestApp({
      guards: (prefix) => ({
        limits: createSourceLimits({
          redis,
          prefix,
          key,
          log: silentLogger,
          limits: { submission: { perDay: 2, burst: 2 }, status: { perDay: 5, burst: 5 } },
        }),
      }),
    });
    intake = await insertTestIntakeKey(app.pool);
  });

  afterAll(async () => {
    await app.close();
    redis.disconnect();
  });

  const send = (body: unknown) => postJson(`${app.url}/v1/submissions`, body);

  it('spends one token per envelope however often it is sent', async () => {
    const token = newSourceToken();
    const first = validBody(intake.keyPair, { sourceToken: token });
    for (let i = 0; i < 4; i++) {
      const res = await send(first);
      expect([i, res.status, res.json]).toEqual([i, 202, { id: first.id, status: 'received' }]);
    }
    // The second and last token of the day is still there for a new testimony.
    const second = validBody(intake.keyPair, { sourceToken: token });
    expect((await send(second)).status).toBe(202);
    // Now the bucket is empty: a new envelope is refused...
    const third = await send(validBody(intake.keyPair, { sourceToken: token }));
    expect([third.status, errorCode(third.json)]).toEqual([429, 'TOO_MANY_REQUESTS']);
    // ...but a retry of one already stored still gets its 202, without a Retry-After.
    const retry = await send(second);
    expect(retry.status).toBe(202);
    expect(retry.headers.get('retry-after')).toBeNull();
    const { rows } = await app.pool.query(`SELECT count(*)::int AS n FROM submissions`);
    expect(rows[0].n).toBe(2);
  });

  it('still spends a token on a different envelope under a stored id (409)', async () => {
    const token = newSourceToken();
    const a = validBody(intake.keyPair, { sourceToken: token });
    expect((await send(a)).status).toBe(202);
    const clash = validBody(intake.keyPair, { sourceToken: token, id: a.id });
    const res = await send(clash);
    expect([res.status, errorCode(res.json)]).toEqual([409, 'SUBMISSION_ID_CONFLICT']);
    const after = await send(validBody(intake.keyPair, { sourceToken: token }));
    expect([after.status, errorCode(after.json)]).toEqual([429, 'TOO_MANY_REQUESTS']);
  });
});
