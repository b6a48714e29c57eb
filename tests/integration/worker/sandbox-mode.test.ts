import { createLogger } from '../../../core/logger';
import { initCrypto } from '../../../crypto';
import { createWorker } from '../../../worker/create-worker';
import { JailUnavailable } from '../../../worker/jail/jail';
import { createJailSandbox } from '../../../worker/jail/sandbox';
import { UNJAILED_NOTE } from '../../../worker/jail/sandbox.types';
import { DEFAULT_LIMITS } from '../../../worker/jail/jail-spawn';
import { startTestApp } from '../../support/app';
import { TEST_REDIS_URL } from '../../support/env';
import { captureLogs, createTestKeys } from '../../support/worker';
import { makeJpeg } from '../../fixtures/make-image';
import { readFileSync } from 'node:fs';
import { submitWithFiles } from '../attachments/attachment-fixtures';
import { startAttachmentStack } from '../attachments/attachment-stack';
import { readRecordWhenDone } from './worker-fixtures';

// A worker parses files only in jails: one that cannot make a jail does not start, and the
// development-only opt-out is said at every start and in every file's report.

jest.setTimeout(120_000);

beforeAll(initCrypto);

test('a worker that cannot make a jail refuses to start, saying why', async () => {
  const app = await startTestApp();
  const keys = await createTestKeys();
  const worker = createWorker({
    config: {
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: app.prefix,
      WORKER_CONCURRENCY: 1,
      WORKER_LOCK_DURATION_MS: 30_000,
      WORKER_STALLED_INTERVAL_MS: 30_000,
      JOB_ATTEMPTS: 1,
      JOB_BACKOFF_MS: 100,
      TRANSLATE_RETRY_MS: 200,
    },
    db: app.pool,
    log: createLogger({ level: 'silent' }),
    keys: keys.keys,
    translator: null,
    // A jail whose program cannot run: what a host without bwrap or user namespaces gets.
    sandbox: createJailSandbox({
      poolSize: 1,
      limits: DEFAULT_LIMITS,
      session: { deadlineMs: 10_000, maxOutputBytes: 1024 },
      entry: '/nonexistent/jail-child.main.js',
    }),
  });
  try {
    const started = worker.start();
    await expect(started).rejects.toBeInstanceOf(JailUnavailable);
    await expect(started).rejects.toThrow(/cannot create a sanitiser jail/);
    // It never began taking jobs.
    expect(worker.worker.isRunning()).toBe(false);
  } finally {
    await worker.close();
    await app.close();
  }
});

test('SANDBOX=none-development-only: logged at start, and every file’s report says so', async () => {
  const logs = captureLogs('info');
  const stack = await startAttachmentStack({
    config: { SANDBOX: 'none-development-only' },
    log: logs.log,
  });
  try {
    expect(logs.text()).toMatch(/"event":"worker.sandbox_disabled"/);
    const jpeg = readFileSync((await makeJpeg(stack.dirs.fixtures)).path);
    const { app, keys, admin } = stack;
    const files = [{ name: 'a.jpg', type: 'image/jpeg', data: jpeg }];
    const { submissionId } = await submitWithFiles(app.url, keys.intake.publicKey, 'x', files);
    const { body } = await readRecordWhenDone(app.pool, submissionId, admin);
    expect(body.files[0]).toMatchObject({ status: 'clean' });
    expect(body.files[0]!.report!.notes).toContain(UNJAILED_NOTE);
  } finally {
    await stack.close();
  }
});
