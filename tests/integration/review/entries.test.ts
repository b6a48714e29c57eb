import {
  decryptEntry,
  fromBase64,
  generateBoxKeyPair,
  randomBytes,
  randomId,
  sealToSource,
  toBase64,
} from '../../../crypto';
import { auditActions, seedRecord } from './review-fixtures';
import { code, type ReviewTestApp, type SeededRecord, type TestReviewer } from './review-fixtures';
import { entryBody, startRecordsScenario, type RecordsScenario } from './records-scenario';

// Writing to records: encrypted entries (a status entry also moves the visible workflow state)
// and replies to the source with their copy for reviewers.

describe('review API: entries and replies', () => {
  let s: RecordsScenario;
  let app: ReviewTestApp;
  let alice: TestReviewer;
  let records: SeededRecord[];

  beforeAll(async () => {
    s = await startRecordsScenario();
    ({ app, alice, records } = s);
  });
  afterAll(async () => s.app.close());

  const get = (path: string, token?: string) => s.get(path, token);
  const post = (path: string, body: unknown, token?: string) => s.post(path, body, token);

  it('appends entries in order; a status entry moves the workflow state', async () => {
    const r = records[2]!;
    const note = randomId();
    const tag = randomId();
    const status = randomId();
    const a = await post(`/v1/records/${r.id}/entries`, {
      id: note,
      kind: 'note',
      body: entryBody(r, note, { text: '메모' }),
    });
    const b = await post(`/v1/records/${r.id}/entries`, {
      id: tag,
      kind: 'tag',
      body: entryBody(r, tag, { tag: 'forced-labour' }),
    });
    const c = await post(`/v1/records/${r.id}/entries`, {
      id: status,
      kind: 'status',
      status: 'in-review',
      body: entryBody(r, status, { status: 'in-review' }),
    });
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    expect(a.json.seq).toBeLessThan(b.json.seq);
    const dup = await post(`/v1/records/${r.id}/entries`, {
      id: note,
      kind: 'note',
      body: entryBody(r, note, 'again'),
    });
    expect([dup.status, code(dup)]).toEqual([409, 'ENTRY_EXISTS']);

    const res = await get(`/v1/records/${r.id}`);
    expect(res.json.status).toBe('in-review');
    expect(res.json.entries.map((e: { id: string; kind: string }) => [e.id, e.kind])).toEqual([
      [note, 'note'],
      [tag, 'tag'],
      [status, 'status'],
    ]);
    const first = res.json.entries[0];
    expect(first).toMatchObject({ authorId: alice.id, authorName: 'alice' });
    expect(decryptEntry(r.recordKey, r.id, note, fromBase64(first.body))).toEqual({ text: '메모' });
    const listed = (await get('/v1/records?status=in-review')).json.records;
    expect(listed).toEqual([
      expect.objectContaining({ id: r.id, entryKinds: { note: 1, tag: 1, status: 1 } }),
    ]);
  });

  it.each<[string, string, (r: SeededRecord) => unknown]>([
    [
      'status without a status',
      'STATUS_REQUIRED',
      (r) => ({ id: randomId(), kind: 'status', body: entryBody(r, randomId(), 1) }),
    ],
    [
      'status on a note',
      'STATUS_NOT_ALLOWED',
      (r) => ({
        id: randomId(),
        kind: 'note',
        status: 'closed',
        body: entryBody(r, randomId(), 1),
      }),
    ],
    [
      'a worker kind',
      'INVALID_REQUEST',
      (r) => ({ id: randomId(), kind: 'translation', body: entryBody(r, randomId(), 1) }),
    ],
    [
      'a short body',
      'BAD_LENGTH',
      () => ({
        id: randomId(),
        kind: 'note',
        body: toBase64(Uint8Array.of(1, ...randomBytes(100))),
      }),
    ],
    [
      'a v2 body',
      'UNSUPPORTED_VERSION',
      () => ({
        id: randomId(),
        kind: 'note',
        body: toBase64(Uint8Array.of(2, ...randomBytes(4200))),
      }),
    ],
    ['no id', 'INVALID_REQUEST', (r) => ({ kind: 'note', body: entryBody(r, randomId(), 1) })],
  ])('an entry with %s → 400 %s', async (_name, expected, body) => {
    const r = records[2]!;
    const res = await post(`/v1/records/${r.id}/entries`, body(r));
    expect([res.status, code(res)]).toEqual([400, expected]);
  });

  it('a reply goes to the source and, encrypted, to the record', async () => {
    const source = generateBoxKeyPair();
    const r = records[3]!;
    const id = randomId();
    const toSource = toBase64(sealToSource(source.publicKey, { text: '감사합니다' }));
    const res = await post(`/v1/records/${r.id}/replies`, {
      id,
      toSource,
      entry: entryBody(r, id, { text: '감사합니다' }),
    });
    expect(res.status).toBe(201);
    const stored = await app.pool.query(
      `SELECT p.direction, p.source_token_hash = s.source_token_hash AS same_source
         FROM replies p JOIN records r ON r.id = p.record_id JOIN submissions s ON s.id = r.submission_id WHERE p.id = $1`,
      [id],
    );
    expect(stored.rows).toEqual([{ direction: 'to-source', same_source: true }]);
    const kinds = (await get(`/v1/records/${r.id}`)).json.entries.map(
      (e: { kind: string }) => e.kind,
    );
    expect(kinds).toEqual(['reply']);
    const dup = await post(`/v1/records/${r.id}/replies`, {
      id,
      toSource,
      entry: entryBody(r, id, 'x'),
    });
    expect([dup.status, code(dup)]).toEqual([409, 'REPLY_EXISTS']);

    const silent = await seedRecord(app.pool, [alice], { sourceTokenHash: null });
    const none = await post(`/v1/records/${silent.id}/replies`, {
      id: randomId(),
      toSource,
      entry: entryBody(silent, id, 'x'),
    });
    expect([none.status, code(none)]).toEqual([409, 'NO_SOURCE_CHANNEL']);
  });

  it('audits entries and replies with their record', async () => {
    const audit = await auditActions(app.pool);
    expect(audit).toContainEqual({
      reviewer_id: alice.id,
      action: 'entry.add',
      record_id: records[2]!.id,
    });
    expect(audit).toContainEqual({
      reviewer_id: alice.id,
      action: 'reply.add',
      record_id: records[3]!.id,
    });
  });
});
