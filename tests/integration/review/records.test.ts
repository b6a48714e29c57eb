import {
  decryptRecordBody,
  fromBase64,
  generateBoxKeyPair,
  randomBytes,
  randomId,
  sha256Hex,
  toBase64,
  unwrapRecordKey,
  wrapRecordKey,
} from '../../../crypto';
import { auditActions, enrol } from './review-fixtures';
import { code, type ReviewTestApp, type SeededRecord, type TestReviewer } from './review-fixtures';
import { entryBody, startRecordsScenario, type RecordsScenario } from './records-scenario';

// Reading records as the console does: list, fetch and decrypt locally, grant to another
// reviewer; a reviewer without a wrapped key cannot tell a record exists.

describe('review API: reading and granting records', () => {
  let s: RecordsScenario;
  let app: ReviewTestApp;
  let alice: TestReviewer;
  let carol: TestReviewer;
  let carolToken: string;
  let records: SeededRecord[];

  beforeAll(async () => {
    s = await startRecordsScenario();
    ({ app, alice, carol, carolToken, records } = s);
  });
  afterAll(async () => s.app.close());

  const get = (path: string, token?: string) => s.get(path, token);
  const post = (path: string, body: unknown, token?: string) => s.post(path, body, token);

  it('lists newest first with keyset pagination', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const res = await get(`/v1/records${q}`);
      expect(res.status).toBe(200);
      expect(res.json.records.length).toBeLessThanOrEqual(2);
      seen.push(...res.json.records.map((r: { id: string }) => r.id));
      cursor = res.json.nextCursor;
    } while (cursor);
    const expected = [...records]
      .sort((a, b) =>
        a.receivedOn === b.receivedOn
          ? a.id < b.id
            ? 1
            : -1
          : a.receivedOn < b.receivedOn
            ? 1
            : -1,
      )
      .map((r) => r.id);
    expect(seen).toEqual(expected);
  });

  it('filters on what the server can see', async () => {
    const ids = async (q: string) =>
      ((await get(`/v1/records?${q}`)).json.records as Array<{ id: string }>).map((r) => r.id);
    expect(await ids('language=ru')).toEqual([records[1]!.id]);
    expect((await ids('translated=true')).sort()).toEqual([records[0]!.id, records[3]!.id].sort());
    expect((await ids('from=2024-01-11&to=2024-01-12')).length).toBe(3);
    expect(await ids('status=closed')).toEqual([]);
    const one = (await get(`/v1/records?language=en`)).json.records[0];
    expect(one).toEqual({
      id: records[4]!.id,
      // A record without a source token is a case of its own (migration 006).
      caseId: records[4]!.id,
      caseSeq: 1,
      receivedOn: '2024-01-13',
      language: 'en',
      status: 'new',
      translated: false,
      entryKinds: {},
    });
  });

  it.each([
    ['limit=0', 'INVALID_REQUEST'],
    ['limit=201', 'INVALID_REQUEST'],
    ['status=open', 'INVALID_REQUEST'],
    ['from=2024-02-30', 'INVALID_REQUEST'],
    ['translated=yes', 'INVALID_REQUEST'],
    ['tag=x', 'UNKNOWN_FIELD'],
    ['cursor=bm9wZQ', 'BAD_CURSOR'],
    [
      'cursor=eyJkIjoiMjAyNC0wMi0zMCIsImkiOiIwMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDAifQ',
      'BAD_CURSOR',
    ],
    ['limit=1&limit=2', 'INVALID_REQUEST'],
  ])('list with %s → 400 %s', async (q, expected) => {
    const res = await get(`/v1/records?${q}`);
    expect([res.status, code(res)]).toEqual([400, expected]);
  });

  it('include=full answers each record as GET /v1/records/:id does, audited as reads', async () => {
    const before = (await auditActions(app.pool)).length;
    const full = (await get('/v1/records?limit=200&include=full')).json.records as Array<{
      id: string;
    }>;
    const audited = (await auditActions(app.pool)).slice(before);
    expect(audited.filter((a) => a.action === 'record.list')).toHaveLength(1);
    expect(
      audited
        .filter((a) => a.action === 'record.read')
        .map((a) => a.record_id)
        .sort(),
    ).toEqual(full.map((r) => r.id).sort());
    expect(full.map((r) => r.id).sort()).toEqual(records.map((r) => r.id).sort());
    for (const r of full) {
      const one = (await get(`/v1/records/${r.id}`)).json;
      expect(r).toEqual({ ...one, entryKinds: expect.any(Object) });
    }
    expect((await get('/v1/records?include=bodies')).status).toBe(400);
    expect((await get('/v1/records?include=full', carolToken)).json.records).toEqual([]);
  });

  it('fetches a record the caller can decrypt locally', async () => {
    const r = records[0]!;
    const res = await get(`/v1/records/${r.id}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: r.id,
      receivedOn: '2024-01-10',
      language: 'ko',
      status: 'new',
      translated: true,
      entries: [],
    });
    const key = unwrapRecordKey(fromBase64(res.json.wrappedKey), alice.keys.box);
    expect(decryptRecordBody(key, r.id, fromBase64(res.json.body))).toEqual(r.body);
    expect(res.json.bodySha256).toBe(sha256Hex(fromBase64(res.json.body)));
  });

  it('answers the backlog counts to admins only; a reviewer learns only whether records are kept from them', async () => {
    const carols = await get('/v1/backlog', carolToken);
    expect([carols.status, carols.json]).toEqual([200, { notYours: true }]);
  });

  it('answers 404 RECORD_NOT_FOUND alike for a record not wrapped to the caller and an absent one', async () => {
    const r = records[0]!;
    for (const path of [
      `/v1/records/${r.id}`,
      `/v1/records/${randomId()}`,
      '/v1/records/not-a-uuid',
    ]) {
      const res = await get(path, carolToken);
      expect([res.status, res.json]).toEqual([
        404,
        { error: { code: 'RECORD_NOT_FOUND', message: 'No such record' } },
      ]);
    }
    expect((await get('/v1/records', carolToken)).json.records).toEqual([]);
    const entry = await post(
      `/v1/records/${r.id}/entries`,
      { id: randomId(), kind: 'note', body: entryBody(r, randomId(), 'x') },
      carolToken,
    );
    expect([entry.status, code(entry)]).toEqual([404, 'RECORD_NOT_FOUND']);
  });

  it('a grant lets another reviewer fetch and unwrap; a second grant is a no-op', async () => {
    const r = records[1]!;
    const wrappedKey = toBase64(wrapRecordKey(r.recordKey, carol.keys.box.publicKey));
    const refused = await post(
      `/v1/records/${r.id}/grants`,
      { reviewerId: alice.id, wrappedKey },
      carolToken,
    );
    expect([refused.status, code(refused)]).toEqual([404, 'RECORD_NOT_FOUND']);
    const granted = await post(`/v1/records/${r.id}/grants`, { reviewerId: carol.id, wrappedKey });
    expect(granted.status).toBe(201);
    const again = await post(`/v1/records/${r.id}/grants`, { reviewerId: carol.id, wrappedKey });
    expect(again.status).toBe(200);
    const res = await get(`/v1/records/${r.id}`, carolToken);
    expect(res.status).toBe(200);
    const key = unwrapRecordKey(fromBase64(res.json.wrappedKey), carol.keys.box);
    expect(decryptRecordBody(key, r.id, fromBase64(res.json.body))).toEqual(r.body);
  });

  it('grants refuse unknown and revoked reviewers', async () => {
    const r = records[1]!;
    const wrappedKey = toBase64(wrapRecordKey(r.recordKey, generateBoxKeyPair().publicKey));
    const unknown = await post(`/v1/records/${r.id}/grants`, {
      reviewerId: randomId(),
      wrappedKey,
    });
    expect([unknown.status, code(unknown)]).toEqual([404, 'REVIEWER_NOT_FOUND']);
    const dave = await enrol(app.pool, 'dave');
    await app.pool.query(`UPDATE reviewers SET revoked_on = current_date WHERE id = $1`, [dave.id]);
    const revoked = await post(`/v1/records/${r.id}/grants`, { reviewerId: dave.id, wrappedKey });
    expect([revoked.status, code(revoked)]).toEqual([409, 'REVIEWER_REVOKED']);
    const short = await post(`/v1/records/${r.id}/grants`, {
      reviewerId: dave.id,
      wrappedKey: toBase64(randomBytes(80)),
    });
    expect([short.status, code(short)]).toEqual([400, 'BAD_LENGTH']);
  });

  it('audits every list, read and grant, and no refused read', async () => {
    const audit = await auditActions(app.pool);
    for (const [action, recordId] of [
      ['auth.login', null],
      ['record.list', null],
      ['record.read', records[0]!.id],
      ['grant.add', records[1]!.id],
    ] as const) {
      expect(audit).toContainEqual({ reviewer_id: alice.id, action, record_id: recordId });
    }
    const carolReads = audit.filter(
      (a) => a.reviewer_id === carol.id && a.action === 'record.read',
    );
    expect(carolReads.map((a) => a.record_id)).toEqual([records[1]!.id]);
  });
});
