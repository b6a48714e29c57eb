import { loadConfig } from '../../../core/config';
import { encryptedFileSize } from '../../../crypto';
import { newJobTicket } from '../../../core/queue';
import { createUploadCleanup } from '../../../server/uploads';
import { isEncryptedFileLength } from '../../../server/uploads/upload-length';
import { silentLogger } from '../../../core/logger';
import { startTestApp, type TestApp } from '../../support/app';
import { createUpload, headOffset, patch, testBytes, tus } from './tus-fixtures';

// The tus 1.0 surface: discovery, creation, HEAD, PATCH, termination, expiration, and a
// stable JSON error code for every refusal.

describe('uploads: tus protocol', () => {
  let app: TestApp;
  const small = encryptedFileSize(1000);
  beforeAll(async () => {
    app = await startTestApp({ env: { UPLOAD_CHUNK_BYTES: '4096' } });
  });
  afterAll(() => app.close());

  it('advertises version, extensions and the size limit', async () => {
    const res = await fetch(`${app.url}/v1/uploads`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('tus-version')).toBe('1.0.0');
    expect(res.headers.get('tus-extension')).toBe('creation,termination,expiration');
    expect(res.headers.get('tus-max-size')).toBe(String(encryptedFileSize(2 * 1024 ** 3)));
    expect(loadConfig({}).MAX_UPLOAD_BYTES).toBe(encryptedFileSize(2 * 1024 ** 3));
  });

  it('creates an upload and reports its offset, length and expiry', async () => {
    const res = await tus(`${app.url}/v1/uploads`, 'POST', { 'Upload-Length': String(small) });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toMatch(/^\/v1\/uploads\/[0-9a-f-]{36}$/);
    expect(res.headers.get('tus-resumable')).toBe('1.0.0');
    const url = new URL(res.headers.get('location') ?? '', app.url).toString();
    const head = await tus(url, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe('0');
    expect(head.headers.get('upload-length')).toBe(String(small));
    expect(head.headers.get('cache-control')).toBe('no-store');
    const expires = Date.parse(head.headers.get('upload-expires') ?? '');
    expect(expires - Date.now()).toBeGreaterThan(2 * 86_400_000 - 86_400_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(3 * 86_400_000);
  });

  it.each([
    [{}, 400, 'UPLOAD_LENGTH_REQUIRED'],
    [{ 'Upload-Length': '-5' }, 400, 'BAD_UPLOAD_LENGTH'],
    [{ 'Upload-Length': '1000' }, 400, 'BAD_UPLOAD_LENGTH'], // not a ciphertext length
    [{ 'Upload-Length': String(encryptedFileSize(3 * 1024 ** 3)) }, 413, 'UPLOAD_TOO_LARGE'],
    [{ 'Upload-Defer-Length': '1' }, 400, 'UPLOAD_DEFER_LENGTH_UNSUPPORTED'],
    [
      { 'Upload-Length': '50', 'Upload-Metadata': 'filename c2VjcmV0LmpwZw==' },
      400,
      'UPLOAD_METADATA_REFUSED',
    ],
    [{ 'Upload-Length': '50', 'Tus-Resumable': '0.2.2' }, 412, 'TUS_VERSION_UNSUPPORTED'],
  ])('refuses creation with %j: %i %s', async (headers, status, code) => {
    const res = await tus(`${app.url}/v1/uploads`, 'POST', headers as Record<string, string>);
    expect([res.status, res.code]).toEqual([status, code]);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('requires Tus-Resumable on every request but OPTIONS', async () => {
    const url = await createUpload(app.url, small);
    const res = await fetch(url, { method: 'HEAD' });
    expect(res.status).toBe(412);
    expect(res.headers.get('tus-version')).toBe('1.0.0');
    const del = await fetch(url, { method: 'DELETE', headers: { 'Tus-Resumable': '2.0.0' } });
    expect(del.status).toBe(412);
  });

  it('refuses a PATCH at the wrong offset, of the wrong type or beyond the length', async () => {
    const url = await createUpload(app.url, small);
    const data = testBytes(small);
    expect((await patch(url, 0, data.subarray(0, 100))).status).toBe(204);
    const wrong = await patch(url, 0, data.subarray(0, 100));
    expect([wrong.status, wrong.code]).toEqual([409, 'UPLOAD_OFFSET_MISMATCH']);
    const type = await patch(url, 100, data.subarray(100), { 'Content-Type': 'text/plain' });
    expect([type.status, type.code]).toEqual([415, 'BAD_CONTENT_TYPE']);
    const noOffset = await tus(url, 'PATCH', { 'Content-Type': 'application/offset+octet-stream' });
    expect([noOffset.status, noOffset.code]).toEqual([400, 'BAD_UPLOAD_OFFSET']);
    const over = await patch(url, 100, testBytes(small));
    expect([over.status, over.code]).toEqual([413, 'UPLOAD_EXCEEDS_LENGTH']);
    expect(await headOffset(url)).toBe(100);
    const done = await patch(url, 100, data.subarray(100));
    expect([done.status, done.headers.get('upload-offset')]).toEqual([204, String(small)]);
    const again = await patch(url, small, new Uint8Array(1));
    expect([again.status, again.code]).toEqual([409, 'UPLOAD_COMPLETE']);
  });

  it('terminates an upload: DELETE, then HEAD and PATCH find nothing', async () => {
    const url = await createUpload(app.url, small);
    expect((await tus(url, 'DELETE')).status).toBe(204);
    const head = await tus(url, 'HEAD');
    expect(head.status).toBe(404);
    const res = await patch(url, 0, new Uint8Array(10));
    expect([res.status, res.code]).toEqual([404, 'UPLOAD_NOT_FOUND']);
    expect((await tus(url, 'DELETE')).code).toBe('UPLOAD_NOT_FOUND');
    expect((await tus(`${app.url}/v1/uploads/not-a-uuid`, 'HEAD')).status).toBe(404);
    const get = await tus(`${app.url}/v1/uploads`, 'GET');
    expect([get.status, get.code]).toEqual([405, 'METHOD_NOT_ALLOWED']);
  });

  it('expires abandoned uploads: 410 once expired, deleted by the cleanup', async () => {
    const expired = await createUpload(app.url, small);
    const finished = await createUpload(app.url, small);
    expect((await patch(finished, 0, testBytes(small))).status).toBe(204);
    const claimed = await createUpload(app.url, small);
    const fresh = await createUpload(app.url, small);
    const ids = [expired, finished, claimed].map((u) => u.split('/').pop());
    await app.pool.query(`UPDATE blobs SET expires_on = current_date - 1 WHERE id = ANY($1)`, [
      ids,
    ]);
    // A claimed upload is the submission's now, whatever its expiry said.
    await app.pool.query(
      `INSERT INTO intake_keys (id, public_key, fingerprint) VALUES ('k1_AAAAAAAAAAAAAAAA', $1, 'x')`,
      [Buffer.alloc(32, 1)],
    );
    const sub = crypto.randomUUID();
    await app.pool.query(
      `INSERT INTO submissions (id, intake_key_id, sealed_key, manifest, envelope_sha256, job_ticket)
       VALUES ($1, 'k1_AAAAAAAAAAAAAAAA', $2, $3, $4, $5)`,
      [sub, Buffer.alloc(81), Buffer.alloc(41), Buffer.alloc(32), newJobTicket()],
    );
    await app.pool.query(`UPDATE blobs SET submission_id = $1 WHERE id = $2`, [sub, ids[2]]);

    const head = await tus(expired, 'HEAD');
    expect(head.status).toBe(410);
    expect((await patch(expired, 0, new Uint8Array(10))).code).toBe('UPLOAD_EXPIRED');
    const cleanup = createUploadCleanup({ pool: app.pool, log: silentLogger, store: app.store });
    expect(await cleanup()).toBe(2);
    expect(await cleanup()).toBe(0); // throttled
    const { rows } = await app.pool.query<{ id: string }>(`SELECT id FROM blobs ORDER BY id`);
    const left = rows.map((r) => r.id);
    expect(left).toContain(ids[2]);
    expect(left).toContain(fresh.split('/').pop());
    expect(left).not.toContain(ids[0]);
    expect(left).not.toContain(ids[1]);
    expect((await tus(expired, 'HEAD')).status).toBe(404);
  });

  it('accepts exactly the lengths crypto can produce', () => {
    for (const n of [0, 1, 2, 100, 65_535, 65_536, 65_537, 1_000_000, 2 * 1024 ** 3]) {
      expect(isEncryptedFileLength(encryptedFileSize(n))).toBe(true);
    }
    for (const bad of [0, 49, 1000, 65_600, encryptedFileSize(1_000_000) - 1]) {
      expect(isEncryptedFileLength(bad)).toBe(false);
    }
  });
});
