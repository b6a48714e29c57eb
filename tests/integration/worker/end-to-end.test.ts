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
  submissionRow,
  submitOverHttp,
  verifyCustody,
  waitFor,
  type TestReviewer,
} from './worker-fixtures';

// A Korean testimony with planted invisible marks goes the whole way: client encryption →
// public API → queue → worker → a record two reviewers can read, sanitised and translated.

const MARKED = '여\u200B권을 빼앗\u202E겼어요.\u{E0041}\u{E0042}';
const CLEAN = '여권을 빼앗겼어요.';

describe('worker end to end', () => {
  let app: TestApp;
  let stub: LibreTranslateStub;
  let keys: TestKeys;
  let worker: SoriWorker;
  let reviewers: TestReviewer[];

  beforeAll(async () => {
    app = await startTestApp();
    stub = await startLibreTranslateStub();
    keys = await createTestKeys();
    reviewers = [await enrolReviewer(app.pool), await enrolReviewer(app.pool)];
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

  it('stores one sanitised, translated record readable by every reviewer', async () => {
    const id = await submitOverHttp(app.url, keys.intake.publicKey, {
      text: MARKED,
      lang: 'ko',
      answers: { country: '러\u200D시아' },
    });
    const [record] = await waitFor('record', async () => {
      const rows = await recordsFor(app.pool, id);
      return rows.length ? rows : null;
    });
    expect(record!.language).toBe('ko');
    expect(record!.translated).toBe(true);

    for (const reviewer of reviewers) {
      const { body } = await readRecord(app.pool, record!.id, reviewer);
      expect(body.text).toBe(CLEAN);
      expect(body.submissionId).toBe(id);
      expect(body.lang).toMatchObject({ code: 'ko', method: 'script', declared: 'ko' });
      expect(body.translation).toEqual({
        text: 'They took my passport.',
        engine: 'libretranslate',
        engineVersion: '1.7.0-stub',
        source: 'ko',
        target: 'en',
      });
      expect(body.sanitisation.removed).toMatchObject({
        zeroWidth: 1,
        bidiControls: 1,
        tagCharacters: 2,
      });
      expect(body.answers).toEqual({ country: '러시아' });
      expect(body.answersSanitisation).toMatchObject({ zeroWidth: 1 });
      expect(body.files).toEqual([]);
      expect(body.originals).toBeNull();
      expect(body.receivedSha256).toMatch(/^[0-9a-f]{64}$/);
    }
    // The engine got the sanitised text, never the marks.
    const sent = stub.requests
      .filter((r) => r.path === '/translate')
      .map((r) => (r.body as { q: string }).q);
    expect(sent).toEqual([CLEAN]);

    const submission = await submissionRow(app.pool, id);
    expect(submission).toMatchObject({
      status: 'done',
      sealed_key: null,
      manifest: null,
      failure_code: null,
    });

    const { verdict, entries } = await verifyCustody(app.pool);
    expect(verdict).toMatchObject({ ok: true, count: 1 });
    expect(entries[0]).toMatchObject({ recordId: record!.id, event: 'record-created' });
    expect(entries[0]!.payload).toEqual({
      submissionId: id,
      receivedSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      bodySha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const pending = await app.pool.query(`SELECT 1 FROM record_pending_keys`);
    expect(pending.rowCount).toBe(0);
  });

  it('registered its public keys: intake key current, worker sign and box keys', async () => {
    const intake = await app.pool.query(`SELECT id, status FROM intake_keys`);
    expect(intake.rows).toEqual([{ id: keys.keys.intake[0]!.id, status: 'current' }]);
    const service = await app.pool.query(`SELECT id, purpose FROM service_keys ORDER BY purpose`);
    expect(service.rows).toEqual([
      { id: keys.keys.worker.boxId, purpose: 'worker-box' },
      { id: keys.keys.worker.signId, purpose: 'worker-sign' },
    ]);
  });
});
