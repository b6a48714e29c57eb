import type { Logger } from '../../../core/logger';
import { initCrypto } from '../../../crypto';
import type { SoriWorker } from '../../../worker/create-worker';
import { stopExiftool } from '../../../worker/sanitise/exiftool';
import { makeDirs, type TestDirs } from '../../fixtures/make-sanitise-context';
import { startTestApp, type TestApp } from '../../support/app';
import {
  createTestKeys,
  startWorker,
  type StartWorkerOptions,
  type TestKeys,
} from '../../support/worker';
import { enrol, type Reviewer } from './attachment-fixtures';

// The stack every attachment test runs against: the public app, a worker with its keys (and
// the test's settings), an admin to receive held-back originals, and a tmpfs-style scratch dir.

export interface AttachmentStack {
  app: TestApp;
  keys: TestKeys;
  worker: SoriWorker;
  dirs: TestDirs;
  admin: Reviewer;
  close(): Promise<void>;
}

export async function startAttachmentStack(
  options: {
    config?: StartWorkerOptions['config'];
    log?: Logger;
    sandbox?: StartWorkerOptions['sandbox'];
  } = {},
): Promise<AttachmentStack> {
  await initCrypto();
  const dirs = makeDirs();
  const app = await startTestApp({ log: options.log });
  const keys = await createTestKeys();
  const admin = await enrol(app.pool, 'admin');
  const worker = await startWorker({
    pool: app.pool,
    prefix: app.prefix,
    keys: keys.keys,
    log: options.log,
    config: options.config,
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
  });
  return {
    app,
    keys,
    worker,
    dirs,
    admin,
    async close() {
      await worker.close();
      await app.close();
      await stopExiftool();
      dirs.cleanup();
    },
  };
}
