import { createApiClient, type ApiClient } from '../../../console/api-client';
import { Inbox } from '../../../console/desk/inbox';
import { appendEntry } from '../../../console/records';
import { insertRecord, insertRecordKeys } from '../../../core/repositories/record.repository';
import { insertSubmission } from '../../../core/repositories/submission.repository';
import {
  encryptRecordBody,
  newRecordKey,
  randomBytes,
  randomId,
  sha256,
  wrapRecordKey,
} from '../../../crypto';
import {
  auditActions,
  enrol,
  login,
  seedRecord,
  startReviewApp,
  type ReviewTestApp,
  type TestReviewer,
} from '../review/review-fixtures';
import { OCR_TEXT, OCR_TRANSLATION, recordBodyWithOcr } from './ocr-record';

// The desk's inbox against the real review API: its search reaches text read out of pictures
// (OCR) and that text's translation, and its refreshes read from the server only what is new or
// changed, so the audit log counts real reads, not how often the reviewer pressed "check".

describe('the desk inbox', () => {
  let app: ReviewTestApp;
  let me: TestReviewer;
  let api: ApiClient;
  const inbox = new Inbox();
  const ids: string[] = [];

  beforeAll(async () => {
    process.env.SORI_HOME = `/tmp/sori-desk-inbox-${process.pid}`;
    app = await startReviewApp();
    me = await enrol(app.pool, 'alice');
    ids.push((await seedRecord(app.pool, [me], { body: recordBodyWithOcr() })).id);
    ids.push((await seedRecord(app.pool, [me], { body: recordBodyWithOcr([]) })).id);
    api = createApiClient({ baseUrl: app.url, token: await login(app.url, me) });
  });
  afterAll(async () => {
    inbox.clear();
    await app.close();
  });

  const reads = async () =>
    (await auditActions(app.pool))
      .filter((a) => a.action === 'record.read')
      .map((a) => a.record_id);
  const found = (q: string) => inbox.cases({ q }).map((c) => c.caseId);

  it('finds a record by a word only its photo OCR text or that text translation holds', async () => {
    await inbox.refresh(api, me.keys);
    expect(inbox.cases()).toHaveLength(2);
    expect(found('한빛수산')).toEqual([ids[0]]);
    expect(found('hanbit fisheries')).toEqual([ids[0]]);
    expect(found('photo')).toHaveLength(2);
    expect(found('no such word')).toEqual([]);
    expect(inbox.cases({ withFiles: true }).map((c) => c.caseId)).toEqual([ids[0]]);
    expect(OCR_TEXT).toContain('한빛수산');
    expect(OCR_TRANSLATION).toContain('Hanbit Fisheries');
  });

  it('reads each record once on unlock, again only when it changed', async () => {
    expect((await reads()).sort()).toEqual([...ids].sort());
    await inbox.refresh(api, me.keys);
    await inbox.refresh(api, me.keys);
    expect(await reads()).toHaveLength(2);

    await appendEntry(api, me.keys, ids[1]!, { v: 1, kind: 'note', text: 'Call the embassy.' });
    const before = (await reads()).length;
    await inbox.refresh(api, me.keys);
    expect((await reads()).slice(before)).toEqual([ids[1]]);
    expect(found('embassy')).toEqual([ids[1]]);
  });

  it('regroups a case when a testimony is stored after its own follow-up', async () => {
    const token = randomBytes(32);
    const { rows } = await app.pool.query<{ id: string }>('SELECT id FROM intake_keys LIMIT 1');
    const submissions = [randomId(), randomId()];
    for (const id of submissions)
      await insertSubmission(app.pool, {
        id,
        intakeKeyId: rows[0]!.id,
        sealedKey: Uint8Array.of(1, ...randomBytes(80)),
        manifest: Uint8Array.of(1, ...randomBytes(100)),
        envelopeSha256: randomBytes(32),
        sourceTokenHash: token,
      });
    const store = async (submissionId: string, text: string) => {
      const id = randomId();
      const key = newRecordKey();
      const sealed = encryptRecordBody(key, id, { ...recordBodyWithOcr([]), text });
      await insertRecord(app.pool, {
        id,
        submissionId,
        body: sealed,
        bodySha256: sha256(sealed),
        receivedOn: new Date().toISOString().slice(0, 10),
        language: 'ko',
        translated: true,
      });
      await insertRecordKeys(app.pool, id, [
        { reviewerId: me.id, wrappedKey: wrapRecordKey(key, me.keys.box.publicKey) },
      ]);
      return id;
    };
    const followUp = await store(submissions[1]!, '후속 제출입니다');
    await inbox.refresh(api, me.keys);
    expect(inbox.cases({ q: '후속 제출' }).map((c) => c.recordIds)).toEqual([[followUp]]);
    const first = await store(submissions[0]!, '처음 증언입니다');
    await inbox.refresh(api, me.keys);
    const [c] = inbox.cases({ q: '처음 증언' });
    expect([c!.caseId, c!.recordIds]).toEqual([first, [first, followUp]]);
    expect(inbox.caseRecords(first).map((r) => r.detail.caseSeq)).toEqual([1, 2]);
  });
});
