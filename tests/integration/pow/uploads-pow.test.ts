import { Readable } from 'node:stream';
import Redis from 'ioredis';
import { createApiClient } from '../../../console/api-client';
import { isApiError } from '../../../console/errors';
import { powHeaderIfAsked } from '../../../console/pow';
import { tusUpload } from '../../../console/tus-upload';
import { createLogger } from '../../../core/logger';
import { initCrypto, randomBytes } from '../../../crypto';
import { createPowService } from '../../../server/pow/pow.service';
import { startTestApp, type TestApp } from '../../support/app';
import { TEST_REDIS_URL } from '../../support/env';
import { encryptFile, headOffset, patch, tus } from '../uploads/tus-fixtures';
import { solvedHeader } from './pow-client';

// tus creation (POST /v1/uploads) costs a proof of work when the app has one; resuming
// (HEAD, PATCH) and terminating (DELETE) an upload never do.

describe('proof of work on tus upload creation', () => {
  let app: TestApp;
  let redis: Redis;

  beforeAll(async () => {
    await initCrypto();
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    const log = createLogger({ level: 'silent' });
    app = await startTestApp({
      guards: (prefix) => ({
        pow: createPowService({
          key: randomBytes(32),
          redis,
          prefix,
          log,
          baseDifficulty: 4,
          maxDifficulty: 10,
          loadThreshold: 1000,
          ttlSeconds: 600,
        }),
      }),
    });
  });

  afterAll(async () => {
    await app.close();
    redis.disconnect();
  });

  // Any encrypted file length will do (crypto encryptedFileSize of 100 bytes).
  let length: number;
  beforeAll(async () => {
    length = (await encryptFile(randomBytes(100))).ciphertext.length;
  });

  const create = (headers: Record<string, string>) =>
    tus(`${app.url}/v1/uploads`, 'POST', { 'Upload-Length': String(length), ...headers });

  it('refuses a creation without a solution: 428 POW_REQUIRED, nothing created', async () => {
    const res = await create({});
    expect(res.status).toBe(428);
    expect(res.code).toBe('POW_REQUIRED');
    expect(res.headers.get('tus-resumable')).toBe('1.0.0');
    expect(res.headers.get('location')).toBeNull();
    const { rows } = await app.pool.query(
      "SELECT count(*)::int AS n FROM blobs WHERE kind = 'upload'",
    );
    expect(rows[0].n).toBe(0);
  });

  it('creates with a valid solution (201), and a solution is spent once', async () => {
    const header = await solvedHeader(app.url);
    const res = await create(header);
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toMatch(/^\/v1\/uploads\/[0-9a-f-]{36}$/);
    const replay = await create(header);
    expect(replay.status).toBe(409);
    expect(replay.code).toBe('POW_REPLAYED');
  });

  it('HEAD, PATCH and DELETE need no solution', async () => {
    const { ciphertext: body } = await encryptFile(randomBytes(100));
    const created = await create(await solvedHeader(app.url));
    expect(created.status).toBe(201);
    const url = new URL(created.headers.get('location') ?? '', app.url).toString();

    expect(await headOffset(url)).toBe(0);
    expect((await patch(url, 0, body.subarray(0, 40))).status).toBe(204);
    expect(await headOffset(url)).toBe(40);
    expect((await patch(url, 40, body.subarray(40))).status).toBe(204);
    expect(await headOffset(url)).toBe(body.length);

    const other = await create(await solvedHeader(app.url));
    const otherUrl = new URL(other.headers.get('location') ?? '', app.url).toString();
    expect((await tus(otherUrl, 'DELETE')).status).toBe(204);
  });

  it('the console pays it on creation (tusUpload with powHeaderIfAsked)', async () => {
    const api = createApiClient({ baseUrl: app.url });
    const { ciphertext } = await encryptFile(randomBytes(5000));
    const id = await tusUpload(Readable.from([ciphertext]), {
      endpoint: `${app.url}/v1/uploads`,
      size: ciphertext.length,
      retryDelays: [],
      powHeader: () => powHeaderIfAsked(api),
    });
    const { rows } = await app.pool.query(
      "SELECT length::int AS length, complete FROM blobs WHERE id = $1 AND kind = 'upload'",
      [id],
    );
    expect(rows).toEqual([{ length: ciphertext.length, complete: true }]);

    const refused = await tusUpload(Readable.from([ciphertext]), {
      endpoint: `${app.url}/v1/uploads`,
      size: ciphertext.length,
      retryDelays: [],
    }).catch((err: unknown) => err);
    expect(isApiError(refused, 'POW_REQUIRED')).toBe(true);
  });
});
