import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { buildSubmission, fromBase64, toBase64 } from '../../../crypto';
import type { SoriWorker } from '../../../worker/create-worker';
import { startTestApp, type TestApp } from '../../support/app';
import { TEST_DATABASE_URL } from '../../support/env';
import {
  startLibreTranslateStub,
  type LibreTranslateStub,
} from '../../support/libretranslate-stub';
import { captureLogs, createTestKeys, startWorker, type TestKeys } from '../../support/worker';
import {
  enrolReviewer,
  insertEnvelope,
  submissionRow,
  submitOverHttp,
  waitFor,
} from './worker-fixtures';
import { redisDump } from '../../support/redis-dump';
import { jobTicketOf } from '../../support/stored-submission';
import { submitWithFiles } from '../attachments/attachment-fixtures';

// Invariant 1: plaintext testimony is never written to Postgres, Redis or a log. Testimonies
// carrying a unique canary go through every path (translated, translation failed then retried,
// undecryptable); then the database dump, every Redis key and value under the test prefix and
// every log line are searched for the canary in plain, hex and base64 form. One testimony has
// files, parsed in the worker's sanitiser jail, whose output (stderr included) is never logged.

jest.setTimeout(60_000);
const run = promisify(execFile);

describe('canary: no plaintext at rest or in logs', () => {
  let app: TestApp;
  let stub: LibreTranslateStub;
  let keys: TestKeys;
  let worker: SoriWorker;
  const logs = captureLogs('debug');
  // node:crypto only for the test's own marker: crypto/ is not ready at collection time.
  const canary = `CANARY-${randomUUID()}`;
  const forms = [
    canary,
    Buffer.from(canary).toString('hex'),
    Buffer.from(canary).toString('base64'),
    Buffer.from(canary).toString('base64url'),
  ];

  beforeAll(async () => {
    app = await startTestApp({ log: logs.log });
    stub = await startLibreTranslateStub();
    keys = await createTestKeys();
    await enrolReviewer(app.pool);
    worker = await startWorker({
      pool: app.pool,
      prefix: app.prefix,
      keys: keys.keys,
      translatorUrl: stub.url,
      log: logs.log,
    });
  });

  afterAll(async () => {
    await worker?.close();
    await stub?.close();
    await app?.close();
  });

  it('leaves no trace of the canary anywhere', async () => {
    // The engine's 500 body echoes the text it was sent: it must not reach a log either.
    stub.setBehaviour({ kind: 'fail', status: 500, times: 2 });
    const ids: string[] = [];
    for (const n of [1, 2, 3, 4]) {
      ids.push(
        await submitOverHttp(app.url, keys.intake.publicKey, {
          text: `${n}번째 증언입니다. ${canary} 여권을 빼앗겼어요.`,
          answers: { note: `${canary} 비고` },
        }),
      );
    }
    // Files too, through the sanitiser jail: a text file (cleaned) and an unknown binary (held
    // back), the canary in their bytes and in the name the client gave.
    const files = [
      { name: `${canary}.txt`, type: 'text/plain', data: Buffer.from(`${canary} 파일 증언\n`) },
      {
        name: 'x.bin',
        type: '',
        data: Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(canary)]),
      },
    ];
    // Korean enough that the random canary never tips its detected language to English.
    const text = `5번째 증언입니다. ${canary} 여권을 빼앗겼어요. 월급을 받지 못했습니다.`;
    ids.push((await submitWithFiles(app.url, keys.intake.publicKey, text, files)).submissionId);
    const { envelope } = buildSubmission({
      intakePublicKey: keys.intake.publicKey,
      manifest: { text: `${canary} 변조` },
    });
    const tampered = fromBase64(envelope.manifest);
    tampered[50]! ^= 0xff;
    const failedId = await insertEnvelope(app.pool, { ...envelope, manifest: toBase64(tampered) });
    await app.producer.enqueue('process-submission', {
      ticket: await jobTicketOf(app.pool, failedId),
    });

    for (const id of ids)
      await waitFor('done', async () => (await submissionRow(app.pool, id))?.status === 'done');
    await waitFor(
      'failed',
      async () => (await submissionRow(app.pool, failedId))?.status === 'failed',
    );
    await waitFor('translations', async () => {
      const { rows } = await app.pool.query(
        `SELECT count(*)::int AS n FROM records WHERE translated`,
      );
      return rows[0].n === ids.length;
    });
    expect(stub.requests.some((r) => JSON.stringify(r.body).includes(canary))).toBe(true); // it did flow

    const url = new URL(TEST_DATABASE_URL);
    const { stdout: dump } = await run(
      'pg_dump',
      ['--dbname', url.toString(), '--schema', app.db.schema, '--no-owner'],
      {
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    expect(dump).toContain('CREATE TABLE'); // the dump is real
    expect(dump).toContain(ids[0]!);
    const redis = await redisDump(app.prefix);
    expect(redis.length).toBeGreaterThan(0);
    const logText = logs.text();
    expect(logText).toContain('"job.completed"');

    for (const form of forms) {
      expect(dump).not.toContain(form);
      expect(redis).not.toContain(form);
      expect(logText).not.toContain(form);
    }
    // Nor any of the Korean text, nor the engine's echoed error body.
    for (const haystack of [dump, redis, logText]) {
      expect(haystack).not.toContain('증언');
      expect(haystack).not.toContain('Cannot translate');
    }
  });
});
