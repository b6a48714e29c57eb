import { createPostgresBlobStore, type BlobStore } from '../../../core/blob-store';
import { createDecryptStream, sha256Hex } from '../../../crypto';
import { insertTestIntakeKey, startTestApp, type TestApp } from '../../support/app';
import { errorCode, postJson, validBody } from '../server/submission-fixtures';
import {
  testBytes,
  collect,
  createUpload,
  encryptFile,
  patch,
  tusClientUpload,
  uploadIdOf,
} from './tus-fixtures';

// A standard tus client uploads what crypto encrypted; the stored bytes are that ciphertext,
// the worker's side decrypts them back, and a submission can claim the finished upload.

describe('uploads: tus-js-client end to end', () => {
  let app: TestApp;
  let store: BlobStore;
  beforeAll(async () => {
    app = await startTestApp({ env: { UPLOAD_CHUNK_BYTES: '65536' } });
    store = createPostgresBlobStore(app.pool, { chunkBytes: 65536 });
  });
  afterAll(() => app.close());

  it.each([
    ['one PATCH', {}],
    ['256 KiB PATCHes', { chunkSize: 256 * 1024 }],
    ['aborted mid-way and resumed', { abortAt: 700_000 }],
  ])('stores the ciphertext byte for byte (%s) and it decrypts', async (_name, options) => {
    const plaintext = testBytes(1_500_000);
    const { key, ciphertext } = await encryptFile(plaintext);
    const url = await tusClientUpload(`${app.url}/v1/uploads`, ciphertext, options);
    const id = uploadIdOf(url);

    const stored = await collect(store.read(id));
    expect(stored.equals(ciphertext)).toBe(true);
    const state = await store.state(id);
    expect(state).toMatchObject({ kind: 'upload', complete: true, length: ciphertext.length });
    const { rows } = await app.pool.query(`SELECT sha256 FROM blobs WHERE id = $1`, [id]);
    expect((rows[0].sha256 as Buffer).toString('hex')).toBe(sha256Hex(ciphertext));

    const decrypted = await collect(store.read(id).pipe(createDecryptStream(key)));
    expect(decrypted.equals(Buffer.from(plaintext))).toBe(true);
  });

  it('lets a submission claim a finished upload and refuses an unfinished one', async () => {
    const intake = await insertTestIntakeKey(app.pool);
    const { ciphertext } = await encryptFile(testBytes(10_000));
    const done = uploadIdOf(await tusClientUpload(`${app.url}/v1/uploads`, ciphertext));
    const body = { ...validBody(intake.keyPair), uploads: [done] };
    expect((await postJson(`${app.url}/v1/submissions`, body)).status).toBe(202);
    // Claimed: the upload id no longer reads, resumes or deletes anything.
    expect((await fetch(`${app.url}/v1/uploads/${done}`, { method: 'HEAD' })).status).toBe(412);
    const head = await fetch(`${app.url}/v1/uploads/${done}`, {
      method: 'HEAD',
      headers: { 'Tus-Resumable': '1.0.0' },
    });
    expect(head.status).toBe(404);

    const partial = await createUpload(app.url, ciphertext.length);
    expect((await patch(partial, 0, ciphertext.subarray(0, 5000))).status).toBe(204);
    const refused = { ...validBody(intake.keyPair), uploads: [uploadIdOf(partial)] };
    const res = await postJson(`${app.url}/v1/submissions`, refused);
    expect([res.status, errorCode(res.json)]).toEqual([422, 'UNKNOWN_UPLOAD']);
  });
});
