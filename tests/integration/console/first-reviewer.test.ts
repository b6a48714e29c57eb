import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, silentLogger } from '../../../core/logger';
import { composeReviewApp } from '../../../server/compose';
import type { SoriWorker } from '../../../worker/create-worker';
import { registerWorkerKeys } from '../../../worker/register-keys';
import { startTestApp, type TestApp } from '../../support/app';
import { createTestKeys, startWorker, type TestKeys } from '../../support/worker';
import { postJson, validBody } from '../server/submission-fixtures';
import { cleanup, ok, soriUser, waitFor } from './console-harness';

// The first hour: testimony sent before anyone can read it, `sori admin init` making the first
// admin of the stack in one command, and `sori list` saying why it is empty meanwhile.

jest.setTimeout(60_000);

let app: TestApp;
let review: Server;
let reviewUrl: string;
let keys: TestKeys;
let worker: SoriWorker | undefined;
const homes: string[] = [];

beforeAll(async () => {
  app = await startTestApp();
  const reviewApp = composeReviewApp({
    pool: app.pool,
    config: app.config,
    log: createLogger({ level: 'silent' }),
  });
  review = await new Promise((resolve) => {
    const s = reviewApp.listen(0, '127.0.0.1', () => resolve(s));
  });
  reviewUrl = `http://127.0.0.1:${(review.address() as AddressInfo).port}`;
  keys = await createTestKeys();
  // The worker has registered its intake key but processes nothing yet.
  await registerWorkerKeys(app.pool, keys.keys, silentLogger);
});
afterAll(async () => {
  await worker?.close();
  await new Promise<void>((resolve) => {
    review.close(() => resolve());
    review.closeAllConnections();
  });
  await app.close();
  cleanup(homes);
});

describe('the first reviewer of a fresh stack', () => {
  it('admin init makes the key and the admin; list explains the wait, then shows the record', async () => {
    const sent = await postJson(`${app.url}/v1/submissions`, validBody(keys.intake));
    expect(sent.status).toBe(202);

    const alice = soriUser({ reviewUrl, app }, 'first passphrase');
    homes.push(alice.home);
    const init = await ok(alice, [
      'admin',
      'init',
      '--name',
      'alice',
      '--database-url',
      app.db.url,
    ]);
    expect(init.stdout).toContain(`Created the key file ${alice.home}/key.json`);
    expect(init.stdout).toMatch(/Enrolled alice as the first admin \([0-9a-f-]{36}\)\./);
    expect(init.stdout).toContain(`Logged in to ${reviewUrl} until`);

    const waiting = await ok(alice, ['list']);
    expect(waiting.stdout).toContain(
      'No records yet: 1 submission(s) are waiting to become records.',
    );
    const json = (await ok(alice, ['--json', 'list'])).json<{ backlog: unknown }>();
    expect(json.backlog).toEqual({ pending: 1, failed: 0, notYours: 0 });

    // A second init finds the admin: it refuses and changes nothing.
    const again = await alice.run([
      'admin',
      'init',
      '--name',
      'alice2',
      '--database-url',
      app.db.url,
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('(ADMIN_EXISTS)');

    worker = await startWorker({ pool: app.pool, prefix: app.prefix, keys: keys.keys });
    const listed = await waitFor('the record', async () => {
      const r = await ok(alice, ['--json', 'list']);
      const records = r.json<{ records: unknown[] }>().records;
      return records.length === 1 ? records : null;
    });
    expect(listed).toHaveLength(1);

    // Bob, enrolled after the record was sealed, is told why his list is empty.
    const bob = soriUser({ reviewUrl, app }, 'bob passphrase');
    homes.push(bob.home);
    const kg = (await ok(bob, ['--json', 'keygen', '--name', 'bob'])).json<{
      boxPublicKey: string;
      signPublicKey: string;
    }>();
    await ok(alice, [
      'admin',
      'enroll',
      '--name',
      'bob',
      `--box=${kg.boxPublicKey}`,
      `--sign=${kg.signPublicKey}`,
    ]);
    const bobs = await ok(bob, ['list']);
    expect(bobs.stdout).toContain(
      'Records exist that were sealed before you were enrolled: a reviewer who holds them can give you access with sori grant.',
    );
    // A reviewer is told that much, not how many, nor how many submissions wait.
    expect((await ok(bob, ['--json', 'list'])).json<{ backlog: unknown }>().backlog).toEqual({
      notYours: true,
    });
  });

  it('says what to do when the database is not there', async () => {
    const carol = soriUser({ reviewUrl, app }, 'x');
    homes.push(carol.home);
    const r = await carol.run([
      'admin',
      'init',
      '--database-url',
      'postgres://postgres@127.0.0.1:1/sori',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Postgres is not reachable at 127.0.0.1:1 (DATABASE_URL)');
  });
});
