import { appendCustodyEntry } from '../../../core/repositories/custody.repository';
import {
  encryptEntry,
  generateBoxKeyPair,
  generateSignKeyPair,
  randomId,
  sealToSource,
  toBase64,
} from '../../../crypto';
import {
  auditActions,
  call,
  code,
  enrol,
  login,
  seedRecord,
  startReviewApp,
  type ReviewTestApp,
  type TestReviewer,
} from './review-fixtures';

// Retention: per-status policies, and a run that deletes expired records with everything
// hanging off them, while the custody log keeps its hashes.

describe('review API: retention', () => {
  let app: ReviewTestApp;
  let root: TestReviewer;
  let token: string;

  beforeAll(async () => {
    app = await startReviewApp();
    root = await enrol(app.pool, 'root', 'admin');
    token = await login(app.url, root);
  });
  afterAll(async () => app.close());

  const as = (t: string) => ({
    get: (path: string) => call(app.url, 'GET', path, { token: t }),
    post: (path: string, body?: unknown) => call(app.url, 'POST', path, { token: t, body }),
    put: (path: string, body: unknown) => call(app.url, 'PUT', path, { token: t, body }),
  });
  const admin = () => as(token);

  it('sets retention and validates it', async () => {
    const bad = await admin().put('/v1/admin/retention', {
      policies: [{ status: 'new', days: 0 }],
    });
    expect([bad.status, code(bad)]).toEqual([400, 'INVALID_REQUEST']);
    const dup = await admin().put('/v1/admin/retention', {
      policies: [
        { status: 'new', days: 5 },
        { status: 'new', days: 6 },
      ],
    });
    expect([dup.status, code(dup)]).toEqual([400, 'DUPLICATE_STATUS']);
    const ok = await admin().put('/v1/admin/retention', {
      policies: [
        { status: 'closed', days: 30 },
        { status: 'new', days: 365 },
      ],
    });
    expect(ok.status).toBe(200);
    expect((await admin().get('/v1/admin/retention')).json).toEqual({
      policies: [
        { status: 'closed', days: 30 },
        { status: 'new', days: 365 },
      ],
    });
  });

  it('a retention run deletes old records with entries, keys and replies; custody stays', async () => {
    const day = (daysAgo: number) =>
      new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
    const old = await seedRecord(app.pool, [root], { receivedOn: day(40) });
    const young = await seedRecord(app.pool, [root], { receivedOn: day(10) });
    const oldButNew = await seedRecord(app.pool, [root], { receivedOn: day(40) });
    const signer = generateSignKeyPair();
    await appendCustodyEntry(
      app.pool,
      {
        recordId: old.id,
        event: 'record-created',
        payload: {
          submissionId: old.submissionId,
          receivedSha256: '00'.repeat(32),
          bodySha256: '11'.repeat(32),
        },
      },
      signer,
    );
    for (const r of [old, young]) {
      const id = randomId();
      const entry = toBase64(encryptEntry(r.recordKey, r.id, id, 'closing'));
      await admin().post(`/v1/records/${r.id}/entries`, {
        id,
        kind: 'status',
        status: 'closed',
        body: entry,
      });
      const replyId = randomId();
      const toSource = toBase64(sealToSource(generateBoxKeyPair().publicKey, 'bye'));
      await admin().post(`/v1/records/${r.id}/replies`, {
        id: replyId,
        toSource,
        entry: toBase64(encryptEntry(r.recordKey, r.id, replyId, 'bye')),
      });
    }
    const res = await admin().post('/v1/admin/retention/run');
    expect([res.status, res.json]).toEqual([200, { deleted: 1 }]);

    const left = async (table: string, column = 'record_id') =>
      (await app.pool.query(`SELECT 1 FROM ${table} WHERE ${column} = $1`, [old.id])).rowCount;
    expect(await left('records', 'id')).toBe(0);
    expect([
      await left('record_keys'),
      await left('record_entries'),
      await left('replies'),
    ]).toEqual([0, 0, 0]);
    expect(await left('custody_log')).toBe(1);
    for (const kept of [young, oldButNew])
      expect((await admin().get(`/v1/records/${kept.id}`)).status).toBe(200);
    const audit = await auditActions(app.pool);
    expect(audit).toContainEqual({
      reviewer_id: root.id,
      action: 'record.delete',
      record_id: old.id,
    });
    expect(audit).toContainEqual({
      reviewer_id: root.id,
      action: 'retention.run',
      record_id: null,
    });
  });

  it('audits policy changes and runs', async () => {
    const actions = (await auditActions(app.pool))
      .filter((a) => a.reviewer_id === root.id)
      .map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['retention.set', 'retention.run']));
  });
});
