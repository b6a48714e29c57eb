import { Readable } from 'node:stream';
import {
  createDecryptStream,
  decryptRecordBody,
  fromBase64,
  openFileKey,
  randomId,
  recordFileKey,
  unwrapRecordKey,
} from '../../../crypto';
import { collect } from '../uploads/tus-fixtures';
import {
  auditActions,
  call,
  code,
  enrol,
  login,
  startReviewApp,
  type ReviewTestApp,
  type TestReviewer,
} from '../review/review-fixtures';
import { seedFileRecord, type FileRecord } from './file-fixtures';

// GET /v1/records/:id/files/:fileId: ciphertext only to holders of the record key, originals
// only to admins holding H, every fetch audited.

async function fetchFile(base: string, token: string, recordId: string, fileId: string) {
  return fetch(`${base}/v1/records/${recordId}/files/${fileId}`, {
    headers: { authorization: `Bearer ${token}` },
  });
}

const decrypt = async (res: Response, key: Uint8Array): Promise<Buffer> =>
  collect(Readable.fromWeb(res.body as never).pipe(createDecryptStream(key)));

describe('review API: record files', () => {
  let app: ReviewTestApp;
  let alice: TestReviewer;
  let root: TestReviewer;
  let outsider: TestReviewer;
  let rec: FileRecord;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    app = await startReviewApp();
    alice = await enrol(app.pool, 'alice');
    root = await enrol(app.pool, 'root', 'admin');
    outsider = await enrol(app.pool, 'outsider');
    rec = await seedFileRecord(app.pool, [alice, root], [root]);
    for (const r of [alice, root, outsider]) tokens[r.name] = await login(app.url, r);
  });
  afterAll(() => app?.close());

  it('streams a clean file to a reviewer holding the record key; it decrypts to the file', async () => {
    const detail = await call(app.url, 'GET', `/v1/records/${rec.id}`, { token: tokens.alice });
    const r = unwrapRecordKey(fromBase64(detail.json.wrappedKey), alice.keys.box);
    const body = decryptRecordBody<{ files: Array<{ fileId: string; subkeyId: number }> }>(
      r,
      rec.id,
      fromBase64(detail.json.body),
    );
    const listed = body.files[0]!;
    expect(listed.fileId).toBe(rec.clean.fileId);

    const res = await fetchFile(app.url, tokens.alice!, rec.id, listed.fileId);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('sori-wrapped-key')).toBeNull();
    const length = Number(res.headers.get('content-length'));
    const plain = await decrypt(res, recordFileKey(r, listed.subkeyId));
    expect(plain.equals(rec.clean.plaintext)).toBe(true);
    const { rows } = await app.pool.query(`SELECT length FROM blobs WHERE id = $1`, [
      listed.fileId,
    ]);
    expect(length).toBe(Number(rows[0].length));
  });

  it('answers 404 FILE_NOT_FOUND alike: no record key, another record, unknown or bad ids', async () => {
    const other = await seedFileRecord(app.pool, [alice], []);
    const cases: Array<[string, string, string]> = [
      ['outsider', rec.id, rec.clean.fileId],
      ['alice', rec.id, other.clean.fileId], // a file of another record she can read
      ['alice', other.id, rec.clean.fileId],
      ['alice', rec.id, randomId()],
      ['alice', rec.id, 'not-a-uuid'],
      ['alice', 'nope', rec.clean.fileId],
    ];
    for (const [who, recordId, fileId] of cases) {
      const res = await call(app.url, 'GET', `/v1/records/${recordId}/files/${fileId}`, {
        token: tokens[who],
      });
      expect([who, recordId, fileId, res.status, code(res)]).toEqual([
        who,
        recordId,
        fileId,
        404,
        'FILE_NOT_FOUND',
      ]);
    }
  });

  it('refuses a held-back original to a reviewer (403 ADMIN_REQUIRED) and to an admin without H', async () => {
    const res = await call(app.url, 'GET', `/v1/records/${rec.id}/files/${rec.original.fileId}`, {
      token: tokens.alice,
    });
    expect([res.status, code(res)]).toEqual([403, 'ADMIN_REQUIRED']);

    const admin2 = await enrol(app.pool, 'root2', 'admin');
    const other = await seedFileRecord(app.pool, [admin2], [root]);
    const token = await login(app.url, admin2);
    const refused = await call(
      app.url,
      'GET',
      `/v1/records/${other.id}/files/${other.original.fileId}`,
      { token },
    );
    expect([refused.status, code(refused)]).toEqual([404, 'FILE_NOT_FOUND']);
  });

  it('releases the original to an admin with H sealed to them: byte-identical', async () => {
    const res = await fetchFile(app.url, tokens.root!, rec.id, rec.original.fileId);
    expect(res.status).toBe(200);
    const wrapped = res.headers.get('sori-wrapped-key');
    expect(wrapped).toMatch(/^[A-Za-z0-9_-]{108}$/);
    const h = openFileKey(fromBase64(wrapped!), root.keys.box);
    const plain = await decrypt(res, h);
    expect(plain.equals(rec.original.plaintext)).toBe(true);
  });

  it('refuses other methods and audits every fetch', async () => {
    const res = await call(app.url, 'DELETE', `/v1/records/${rec.id}/files/${rec.clean.fileId}`, {
      token: tokens.alice,
    });
    expect([res.status, code(res)]).toEqual([405, 'METHOD_NOT_ALLOWED']);
    const head = await fetch(`${app.url}/v1/records/${rec.id}/files/${rec.clean.fileId}`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${tokens.alice}` },
    });
    expect(head.status).toBe(405);
    const anon = await call(app.url, 'GET', `/v1/records/${rec.id}/files/${rec.clean.fileId}`);
    expect([anon.status, code(anon)]).toEqual([401, 'AUTH_REQUIRED']);

    const audit = await auditActions(app.pool);
    const fileRows = audit.filter(
      (a) => a.action === 'file.read' || a.action === 'original.release',
    );
    expect(fileRows).toEqual([
      { reviewer_id: alice.id, action: 'file.read', record_id: rec.id },
      { reviewer_id: root.id, action: 'original.release', record_id: rec.id },
    ]);
  });
});
