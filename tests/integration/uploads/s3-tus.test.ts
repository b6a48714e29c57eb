import { type BlobStore, type S3Target } from '../../../core/blob-store';
import { createDecryptStream, randomBytes, sha256Hex } from '../../../crypto';
import type { TestApp } from '../../support/app';
import { listKeys, startS3App, type S3App, type TestS3 } from '../../support/s3rver';
import {
  collect,
  createUpload,
  encryptFile,
  headOffset,
  interruptedPatch,
  patch,
  testBytes,
  tusClientUpload,
  uploadIdOf,
} from './tus-fixtures';

// The tus behaviour the Postgres store has (tus-client, resume tests), with BLOB_STORE=s3
// against s3rver: byte-identical files, the offset exactly what is stored, no stray objects.

// s3rver is a Node process writing files: slower than Postgres here, and more so under load.
jest.setTimeout(90_000);

const CHUNK = 65536;
const cut = (max: number) => 1 + (Buffer.from(randomBytes(4)).readUInt32BE() % max);

describe('uploads over the S3 blob store (s3rver)', () => {
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

  /** Objects under the blob's prefix are exactly its committed segments, in offset order. */
  async function expectOnlySegments(id: string, length: number): Promise<void> {
    const { rows } = await app.pool.query<{ object_key: string; byte_offset: string }>(
      `SELECT object_key, byte_offset FROM blob_segments WHERE blob_id = $1 ORDER BY seq`,
      [id],
    );
    expect(await listKeys(target.client, s3.bucket, `blobs/${id}/`)).toEqual(
      rows.map((r) => r.object_key).sort(),
    );
    const chunks = await app.pool.query(`SELECT 1 FROM blob_chunks WHERE blob_id = $1`, [id]);
    expect(chunks.rowCount).toBe(0); // nothing in Postgres but the bookkeeping
    expect((await store.state(id))?.length).toBe(length);
  }

  it.each([
    ['one PATCH', {}],
    ['256 KiB PATCHes', { chunkSize: 256 * 1024 }],
    ['aborted mid-way and resumed', { abortAt: 700_000 }],
  ])('stores the ciphertext byte for byte (%s) and it decrypts', async (_name, options) => {
    const plaintext = testBytes(1_500_000);
    const { key, ciphertext } = await encryptFile(plaintext);
    const id = uploadIdOf(await tusClientUpload(`${app.url}/v1/uploads`, ciphertext, options));

    expect((await collect(store.read(id))).equals(ciphertext)).toBe(true);
    expect(await store.state(id)).toMatchObject({ complete: true, length: ciphertext.length });
    const { rows } = await app.pool.query(`SELECT sha256, store FROM blobs WHERE id = $1`, [id]);
    expect(rows[0].store).toBe('s3');
    expect((rows[0].sha256 as Buffer).toString('hex')).toBe(sha256Hex(ciphertext));
    const decrypted = await collect(store.read(id).pipe(createDecryptStream(key)));
    expect(decrypted.equals(Buffer.from(plaintext))).toBe(true);
    await expectOnlySegments(id, ciphertext.length);
  });

  it('keeps exactly what arrived at each random cut and resumes byte-identical', async () => {
    const plaintext = testBytes(1_200_000);
    const { key, ciphertext } = await encryptFile(plaintext);
    const url = await createUpload(app.url, ciphertext.length);
    const id = url.split('/').pop() ?? '';

    let offset = 0;
    for (let i = 0; i < 6; i++) {
      const remaining = ciphertext.length - offset;
      const sent = ciphertext.subarray(offset, offset + cut(Math.floor(remaining / 4)));
      const stored = await interruptedPatch(url, offset, remaining, sent);
      expect(stored).toBe(offset + sent.length); // not rounded down to a chunk or a part
      offset = stored;
      // The offset is what the object store holds, committed: read back, it is the prefix.
      expect((await collect(store.read(id))).equals(ciphertext.subarray(0, offset))).toBe(true);
    }
    const stale = await patch(url, offset - 1, ciphertext.subarray(offset - 1));
    expect([stale.status, stale.code]).toEqual([409, 'UPLOAD_OFFSET_MISMATCH']);
    const last = await patch(url, offset, ciphertext.subarray(offset));
    expect([last.status, last.headers.get('upload-offset')]).toEqual([
      204,
      String(ciphertext.length),
    ]);
    expect(await headOffset(url)).toBe(ciphertext.length);
    const plain = await collect(store.read(id).pipe(createDecryptStream(key)));
    expect(plain.equals(Buffer.from(plaintext))).toBe(true);
    const { rows } = await app.pool.query(`SELECT complete, sha256 FROM blobs WHERE id = $1`, [id]);
    expect([rows[0].complete, (rows[0].sha256 as Buffer).toString('hex')]).toEqual([
      true,
      sha256Hex(ciphertext), // resumed: hashed by reading the objects back
    ]);
    await expectOnlySegments(id, ciphertext.length);
  });

  it('refuses a second writer at the same offset and leaves no stray object', async () => {
    const { ciphertext } = await encryptFile(testBytes(300_000));
    const url = await createUpload(app.url, ciphertext.length);
    const id = url.split('/').pop() ?? '';
    const results = await Promise.all([patch(url, 0, ciphertext), patch(url, 0, ciphertext)]);
    expect(results.map((r) => r.status).sort()).toEqual([204, 409]);
    expect((await collect(store.read(id))).equals(ciphertext)).toBe(true);
    await expectOnlySegments(id, ciphertext.length);
  });
});
