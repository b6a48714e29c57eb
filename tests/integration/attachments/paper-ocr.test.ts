// Through the whole pipeline and the real jail: photos of paper (Korean, Russian) come back
// with their text read, its language detected and translated by the translator (the
// LibreTranslate-protocol stub); a document comes back with its safe rendition, a record-file
// blob of its own that decrypts under its sub-key of R to a PDF of pixels and OCR text; and a
// photo's text whose translation fails is recorded as not translated, reason 'failed'.
import { randomUUID } from 'node:crypto';
import { initCrypto } from '../../../crypto';
import type { RecordFile } from '../../../core/record/record-body';
import { RENDITION_SUBKEY_BASE } from '../../../worker/attachments/file-readings';
import { stopExiftool } from '../../../worker/sanitise/exiftool';
import type { SoriWorker } from '../../../worker/create-worker';
import { buildDocx, PLANTED as OFFICE } from '../../fixtures/make-office';
import { PAPER_KO, PAPER_RU, paperPhoto } from '../../fixtures/make-paper-photo';
import {
  makeDirs,
  qpdfExpand,
  recoverable,
  type TestDirs,
} from '../../fixtures/make-sanitise-context';
import { startTestApp, type TestApp } from '../../support/app';
import {
  startLibreTranslateStub,
  type LibreTranslateStub,
} from '../../support/libretranslate-stub';
import { createTestKeys, startWorker, type TestKeys } from '../../support/worker';
import { readRecordWhenDone } from '../worker/worker-fixtures';
import {
  blobCounts,
  enrol,
  readCleanFile,
  recordKeyFor,
  submitWithFiles,
  type Reviewer,
} from './attachment-fixtures';

jest.setTimeout(240_000);

describe('photos of paper and safe renditions', () => {
  let app: TestApp;
  let stub: LibreTranslateStub;
  let keys: TestKeys;
  let worker: SoriWorker;
  let reviewer: Reviewer;
  let dirs: TestDirs;

  beforeAll(async () => {
    await initCrypto();
    dirs = makeDirs();
    app = await startTestApp();
    stub = await startLibreTranslateStub();
    keys = await createTestKeys();
    await enrol(app.pool, 'admin');
    reviewer = await enrol(app.pool, 'reviewer');
    worker = await startWorker({
      pool: app.pool,
      prefix: app.prefix,
      keys: keys.keys,
      translatorUrl: stub.url,
      config: { TRANSLATE_RETRY_MS: 60_000 },
    });
  });

  afterAll(async () => {
    await worker?.close();
    await stub?.close();
    await app?.close();
    await stopExiftool();
    dirs?.cleanup();
  });

  const clean = (f: RecordFile | undefined) => {
    if (f?.status !== 'clean') throw new Error('not clean');
    return f;
  };

  it('reads and translates the photos, and stores the document with its rendition', async () => {
    const { submissionId } = await submitWithFiles(
      app.url,
      keys.intake.publicKey,
      `월급을 받지 못했습니다. ${randomUUID()}`,
      [
        { name: 'IMG_1.jpg', type: 'image/jpeg', data: await paperPhoto(PAPER_KO, 'ko') },
        { name: 'IMG_2.jpg', type: 'image/jpeg', data: await paperPhoto(PAPER_RU, 'ru') },
        { name: 'contract.docx', type: 'application/octet-stream', data: await buildDocx() },
      ],
    );
    const { body, recordId } = await readRecordWhenDone(app.pool, submissionId, reviewer, 180_000);
    const [ko, ru, doc] = body.files.map(clean);

    for (const [file, lang, words] of [
      [ko!, 'ko', ['여권을', '빼앗겼어요']],
      [ru!, 'ru', ['Паспорт', 'забрали']],
    ] as const) {
      expect(file.rendition).toBeUndefined();
      for (const w of words) expect(file.ocr?.text).toContain(w);
      expect(file.ocr?.lang.code).toBe(lang);
      const translation = file.ocr!.translation;
      if (!('text' in translation)) throw new Error(`not translated: ${translation.reason}`);
      expect(translation).toMatchObject({ source: lang, target: 'en', engine: 'libretranslate' });
      // The stub translated exactly the recognised text.
      const sent = stub.requests
        .filter((r) => r.path === '/translate')
        .map((r) => (r.body as { q: string }).q);
      expect(sent).toContain(file.ocr!.text);
      if (file.ocr!.text === (lang === 'ko' ? PAPER_KO : PAPER_RU))
        expect(translation.text).toBe(
          lang === 'ko' ? 'They took my passport.' : 'They took the passport.',
        );
    }

    const rendition = doc!.rendition!;
    expect(rendition).toMatchObject({
      mime: 'application/pdf',
      pages: 1,
      dpi: 150,
      truncated: false,
    });
    expect(rendition.subkeyId).toBe(RENDITION_SUBKEY_BASE + doc!.subkeyId);
    expect(doc!.ocr?.text).toContain('construction site');
    expect(doc!.ocr?.translation).toEqual({ status: 'not-translated', reason: 'not-requested' });
    expect(doc!.report.notes?.join('\n')).toMatch(/safe rendition: 1 page/);
    const r = await recordKeyFor(app.pool, recordId, reviewer);
    const pdf = await readCleanFile(app.pool, r, { ...doc!, ...rendition });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const qdf = qpdfExpand(pdf, dirs.fixtures);
    expect(qdf).not.toMatch(/\/(Info|Metadata|JavaScript|OpenAction|AA|EmbeddedFiles?|Annots)\b/);
    expect(recoverable(pdf, Object.values(OFFICE), qdf)).toEqual([]);
    // Three clean copies and one rendition, all linked to the record.
    expect(await blobCounts(app.pool, submissionId)).toEqual(['record-file: 4']);
  });

  it("records a photo's text as not translated (failed) when the engine fails, owing only the testimony", async () => {
    stub.setBehaviour({ kind: 'fail', status: 500, times: 1000 });
    try {
      const { submissionId } = await submitWithFiles(
        app.url,
        keys.intake.publicKey,
        '월급을 받지 못했습니다.',
        [{ name: 'IMG_3.jpg', type: 'image/jpeg', data: await paperPhoto(PAPER_RU, 'ru') }],
      );
      const { body } = await readRecordWhenDone(app.pool, submissionId, reviewer, 180_000);
      expect(body.translation).toMatchObject({ status: 'not-translated', reason: 'pending' });
      const [photo] = body.files.map(clean);
      expect(photo!.ocr?.text).toContain('Паспорт');
      expect(photo!.ocr?.translation).toMatchObject({ status: 'not-translated', reason: 'failed' });
    } finally {
      stub.setBehaviour({ kind: 'normal' });
    }
  });
});
