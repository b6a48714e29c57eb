import Redis from 'ioredis';
import { createPostgresBlobStore, type BlobStore } from '../../core/blob-store';
import { createLogger } from '../../core/logger';
import { randomBytes } from '../../crypto';
import { createPowService } from '../../server/pow/pow.service';
import { registerWorkerKeys } from '../../worker/register-keys';
import type { SoriWorker } from '../../worker/create-worker';
import { startTestApp, type TestApp } from '../support/app';
import { TEST_REDIS_URL } from '../support/env';
import { createTestKeys, startWorker, type TestKeys } from '../support/worker';
import { enrolReviewer, type TestReviewer } from '../integration/worker/worker-fixtures';

// The whole intake side for a browser test: the public app in-process on 127.0.0.1:0 with its
// own schema and queue prefix, the intake key registered (GET /v1/intake-key answers), one
// enrolled reviewer, and the worker started only when a test wants records made. Proof of work
// is off (GET /v1/pow answers 404 and the page sends no Sori-Pow) unless `pow` is asked for:
// then at a low difficulty, so Chromium solves it at once.

export interface Stack {
  app: TestApp;
  keys: TestKeys;
  reviewer: TestReviewer;
  store: BlobStore;
  startWorker(): Promise<SoriWorker>;
  close(): Promise<void>;
}

export async function startStack(
  options: { pow?: boolean; env?: Record<string, string> } = {},
): Promise<Stack> {
  const redis = options.pow ? new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 }) : undefined;
  const log = createLogger({ level: 'silent' });
  const app = await startTestApp({
    env: options.env,
    guards: (prefix) =>
      redis
        ? {
            pow: createPowService({
              key: randomBytes(32), // called after startTestApp's initCrypto
              redis,
              prefix,
              log,
              baseDifficulty: 4,
              maxDifficulty: 8,
              loadThreshold: 1000,
              ttlSeconds: 600,
            }),
          }
        : {},
  });
  const keys = await createTestKeys();
  await registerWorkerKeys(app.pool, keys.keys, createLogger({ level: 'silent' }));
  const reviewer = await enrolReviewer(app.pool);
  const store = createPostgresBlobStore(app.pool, { chunkBytes: app.config.UPLOAD_CHUNK_BYTES });
  let worker: SoriWorker | undefined;
  return {
    app,
    keys,
    reviewer,
    store,
    async startWorker() {
      worker ??= await startWorker({ pool: app.pool, prefix: app.prefix, keys: keys.keys });
      return worker;
    },
    async close() {
      await worker?.close();
      await app.close();
      redis?.disconnect();
    },
  };
}
