import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createPostgresBlobStore, type BlobStore, type S3Target } from '../../../core/blob-store';
import { silentLogger } from '../../../core/logger';
import { createDecryptStream } from '../../../crypto';
import { createUploadCleanup } from '../../../server/uploads';
import type { TestApp } from '../../support/app';
import { listKeys, startS3App, type S3App, type TestS3 } from '../../support/s3rver';
import {
  collect,
  createUpload,
  encryptFile,
  headOffset,
  patch,
  testBytes,
  tus,
} from './tus-fixtures';

// What happens to the objects: expiry, termination and any SQL delete remove them (an orphan
// left by a crash too); an object cut short or altered is refused when read.

jest.setTimeout(60_000);

const CHUNK = 65536;

describe('S3 blob store lifecycle (s3rver)', () => {
  let stack: S3App | undefined;
  let s3: TestS3;
  let app: TestApp;
  let store: BlobStore;
  let target: S3Target;
  beforeAll(async () => {
    stack = await startS3App(CHUNK);
    ({ s3, app, store, target } = stack);
  });
  afterAll(async () => stack?.close());

  const keysOf = (id: string) => listKeys(target.client, s3.bucket, `blobs/${id}/`);
  const cleanup = () =>
    createUploadCleanup({ pool: app.pool, log: silentLogger, store: app.store })();

  /** An upload with `sent` of its bytes stored; its id and ciphertext. */
  async function partial(sent: number) {
    const { key, ciphertext } = await encryptFile(testBytes(400_000));
    const url = await createUpload(app.url, ciphertext.length);
    expect((await patch(url, 0, ciphertext.subarray(0, sent))).status).toBe(204);
    return { url, id: url.split('/').pop() ?? '', key, ciphertext };
  }

  it('expiry deletes the expired upload and its objects, and nothing else', async () => {
    const old = await partial(200_000);
    const fresh = await partial(100_000);
    expect((await keysOf(old.id)).length).toBe(Math.ceil(200_000 / CHUNK));
    await app.pool.query(`UPDATE blobs SET expires_on = current_date - 1 WHERE id = $1`, [old.id]);

    expect(await cleanup()).toBe(1);
    expect(await keysOf(old.id)).toEqual([]);
    expect(await store.state(old.id)).toBeNull();
    expect(await keysOf(fresh.id)).toHaveLength(Math.ceil(100_000 / CHUNK));
    const gc = await app.pool.query(`SELECT 1 FROM blob_object_gc`);
    expect(gc.rowCount).toBe(0);
  });

  it('termination, a crash orphan and any SQL delete: objects go at the next sweep', async () => {
    const a = await partial(150_000);
    // What a crash between the PUT and the commit leaves: an object no segment row names.
    const orphan = `blobs/${a.id}/${String(150_000).padStart(16, '0')}-deadbeef`;
    await target.client.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key: orphan, Body: Buffer.alloc(999, 1) }),
    );
    expect(await headOffset(a.url)).toBe(150_000); // never counted
    expect((await collect(store.read(a.id))).equals(a.ciphertext.subarray(0, 150_000))).toBe(true);
    expect((await tus(a.url, 'DELETE')).status).toBe(204);

    // A record's files, claimed uploads: deleted by plain SQL elsewhere in Sori.
    const b = await partial(70_000);
    await app.pool.query(`DELETE FROM blobs WHERE id = $1`, [b.id]);

    await cleanup();
    expect(await keysOf(a.id)).toEqual([]);
    expect(await keysOf(b.id)).toEqual([]);
  });

  it('store.delete removes the objects at once', async () => {
    const c = await partial(80_000);
    expect(await store.delete(c.id)).toBe(true);
    expect(await keysOf(c.id)).toEqual([]);
    expect(await store.delete(c.id)).toBe(false);
  });

  it('refuses an object cut short (409) and a byte changed fails decryption', async () => {
    const d = await partial(300_000);
    expect((await patch(d.url, 300_000, d.ciphertext.subarray(300_000))).status).toBe(204);
    const { rows } = await app.pool.query<{ object_key: string }>(
      `SELECT object_key FROM blob_segments WHERE blob_id = $1 ORDER BY seq LIMIT 1`,
      [d.id],
    );
    const key = rows[0]!.object_key;
    const original = await collect(
      (await target.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key })))
        .Body as AsyncIterable<Buffer>,
    );

    const flipped = Buffer.from(original);
    flipped[100] = (flipped[100] ?? 0) ^ 1;
    await target.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: flipped }));
    await expect(collect(store.read(d.id).pipe(createDecryptStream(d.key)))).rejects.toMatchObject({
      code: expect.stringMatching(/^CRYPTO_/),
    });

    const short = original.subarray(0, original.length - 10);
    await target.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: short }));
    await expect(collect(store.read(d.id))).rejects.toMatchObject({ code: 'BLOB_CHANGED' });
  });

  it('still reads a blob written to Postgres before the switch to S3', async () => {
    const postgres = createPostgresBlobStore(app.pool, { chunkBytes: CHUNK });
    const id = await postgres.create('record-file', null);
    const bytes = testBytes(200_000);
    await postgres.append(
      id,
      0,
      (async function* () {
        yield bytes;
      })(),
    );
    expect((await collect(store.read(id))).equals(bytes)).toBe(true);
    // The S3 store does not append to it: its bytes are not objects.
    await expect(store.appendChunk(id, 200_000, Buffer.alloc(10))).rejects.toMatchObject({
      reason: 'missing',
    });
  });
});
