import { startTestApp, type TestApp } from '../../support/app';
import {
  startLibreTranslateStub,
  type LibreTranslateStub,
} from '../../support/libretranslate-stub';
import { createTestKeys, startWorker, type TestKeys } from '../../support/worker';
import type { SoriWorker } from '../../../worker/create-worker';
import {
  enrolReviewer,
  readRecord,
  recordsFor,
  submitOverHttp,
  verifyCustody,
  waitFor,
  type TestReviewer,
} from './worker-fixtures';

// The translation engine is down: the testimony is stored at once, untranslated, with the
// record key sealed to the worker; when the engine is back, retry-translation appends the
// translation as an entry and drops the worker's copy of the key.

describe('translation failure and retry', () => {
  let app: TestApp;
  let stub: LibreTranslateStub;
  let keys: TestKeys;
  let worker: SoriWorker;
  let reviewer: TestReviewer;

  beforeAll(async () => {
    app = await startTestApp();
    stub = await startLibreTranslateStub();
    keys = await createTestKeys();
    reviewer = await enrolReviewer(app.pool);
    worker = await startWorker({
      pool: app.pool,
      prefix: app.prefix,
      keys: keys.keys,
      translatorUrl: stub.url,
    });
  });

  afterAll(async () => {
    await worker?.close();
    await stub?.close();
    await app?.close();
  });

  const pendingKeys = async (recordId: string) =>
    (
      await app.pool.query(`SELECT attempts FROM record_pending_keys WHERE record_id = $1`, [
        recordId,
      ])
    ).rows;

  /** Submits a testimony over HTTP and waits for the worker to store its record. */
  async function submitAndStore(text: string) {
    const id = await submitOverHttp(app.url, keys.intake.publicKey, { text });
    const [record] = await waitFor('record', async () => {
      const rows = await recordsFor(app.pool, id);
      return rows.length ? rows : null;
    });
    return { id, record };
  }

  it('stores untranslated, then appends the translation once the engine recovers', async () => {
    stub.setBehaviour({ kind: 'fail', status: 500, times: 1_000_000 });
    const { id, record } = await submitAndStore('월급을 받지 못했습니다.');
    expect(record!.translated).toBe(false);
    expect(await pendingKeys(record!.id)).toHaveLength(1);
    const before = await readRecord(app.pool, record!.id, reviewer);
    expect(before.body.text).toBe('월급을 받지 못했습니다.');
    expect(before.body.translation).toEqual({
      status: 'not-translated',
      reason: 'pending',
      code: 'TRANSLATE_ENGINE_ERROR',
    });
    expect(before.entries).toEqual([]);

    // Let a retry or two fail against the engine, then bring it back.
    await waitFor(
      'a failed retry',
      async () => ((await pendingKeys(record!.id))[0]?.attempts ?? 0) >= 1,
    );
    stub.setBehaviour({ kind: 'normal' });

    await waitFor(
      'translated',
      async () => (await recordsFor(app.pool, id))[0]?.translated,
      20_000,
    );
    expect(await pendingKeys(record!.id)).toEqual([]);
    const after = await readRecord(app.pool, record!.id, reviewer);
    expect(after.kinds).toEqual(['translation']);
    expect(after.entries).toEqual([
      {
        kind: 'translation',
        v: 1,
        text: 'I was not paid my wages.',
        engine: 'libretranslate',
        engineVersion: '1.7.0-stub',
        source: 'ko',
        target: 'en',
      },
    ]);
    // The body is never rewritten: it still says what happened at intake.
    expect(after.body.translation).toEqual(before.body.translation);

    const { verdict, entries } = await verifyCustody(app.pool);
    expect(verdict).toMatchObject({ ok: true, count: 2 });
    expect(entries.map((e) => e.event)).toEqual(['record-created', 'translation-added']);
    expect(entries[1]!.recordId).toBe(record!.id);
  });

  it('an owed translation whose job Redis lost is queued again without a worker restart', async () => {
    stub.setBehaviour({ kind: 'fail', status: 500, times: 1_000_000 });
    const { id, record } = await submitAndStore('여권을 빼앗겼습니다.');
    await waitFor(
      'a failed retry',
      async () => ((await pendingKeys(record!.id))[0]?.attempts ?? 0) >= 1,
    );
    // Redis loses the job (as after an outage without persistence); Postgres still owes it.
    await waitFor('the retry job removed from Redis', async () => {
      if ((await worker.queue.getJobs(['active'])).some((j) => j?.name === 'retry-translation'))
        return false;
      const queued = (await worker.queue.getJobs(['delayed', 'waiting', 'prioritized'])).filter(
        (j) => j?.name === 'retry-translation',
      );
      const removed = await Promise.all(
        queued.map((j) =>
          j.remove().then(
            () => true,
            () => false,
          ),
        ),
      );
      return removed.includes(true);
    });
    stub.setBehaviour({ kind: 'normal' });
    await waitFor(
      'translated',
      async () => (await recordsFor(app.pool, id))[0]?.translated,
      20_000,
    );
    expect(await pendingKeys(record!.id)).toEqual([]);
    const { kinds } = await readRecord(app.pool, record!.id, reviewer);
    expect(kinds).toEqual(['translation']);
  });

  it('a record whose language the engine refuses is stored untranslated, nothing owed', async () => {
    // The stub supports en, ko, ru, zh only; Japanese kana are detected as 'ja'.
    const { record } = await submitAndStore(
      'パスポートを取り上げられました。給料はもらえませんでした。',
    );
    const { body } = await readRecord(app.pool, record!.id, reviewer);
    expect(body.translation).toEqual({
      status: 'not-translated',
      reason: 'engine-refused',
      code: 'TRANSLATE_UNSUPPORTED',
    });
    expect(await pendingKeys(record!.id)).toEqual([]);
  });
});
