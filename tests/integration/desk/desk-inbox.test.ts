import { createApiClient, type ApiClient } from '../../../console/api-client';
import { Inbox } from '../../../console/desk/inbox';
import { appendEntry } from '../../../console/records';
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
});
