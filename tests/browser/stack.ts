import { createPostgresBlobStore, type BlobStore } from '../../core/blob-store';
import { createLogger } from '../../core/logger';
import { registerWorkerKeys } from '../../worker/register-keys';
import type { SoriWorker } from '../../worker/create-worker';
import { startTestApp, type TestApp } from '../support/app';
import { createTestKeys, startWorker, type TestKeys } from '../support/worker';
import { enrolReviewer, type TestReviewer } from '../integration/worker/worker-fixtures';

// The whole intake side for a browser test: the public app in-process on 127.0.0.1:0 with its
// own schema and queue prefix, the intake key registered (GET /v1/intake-key answers), one
// enrolled reviewer, and the worker started only when a test wants records made.

export interface Stack {
  app: TestApp;
  keys: TestKeys;
  reviewer: TestReviewer;
  store: BlobStore;
  startWorker(): Promise<SoriWorker>;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const app = await startTestApp();
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
    },
  };
}
