import { createPostgresBlobStore } from '../../../core/blob-store';
import { createDecryptStream, randomBytes } from '../../../crypto';
import type { Logger } from '../../../core/logger';
import { startTestApp, type TestApp } from '../../support/app';
import {
  collect,
  testBytes,
  createUpload,
  encryptFile,
  headOffset,
  interruptedPatch,
  patch,
} from './tus-fixtures';

// A Tor circuit drops mid-PATCH, again and again: every byte that reached the server is kept
// (the partial last chunk too), and HEAD + PATCH resume to a byte-identical file.

const CHUNK = 65536;

/** A cut in [1, max], drawn from libsodium's randomness (no Math.random in Sori). */
const cut = (max: number) => 1 + (Buffer.from(randomBytes(4)).readUInt32BE() % max);

/** Records warnings and errors: a dropped client is a 4xx, never a 500 or a 503. */
function recordingLogger(seen: string[]): Logger {
  const log: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (event) => seen.push(event),
    error: (event) => seen.push(event),
    child: () => log,
  };
  return log;
}

describe('uploads: resume after interrupted PATCHes', () => {
  let app: TestApp;
  const problems: string[] = [];
  beforeAll(async () => {
    app = await startTestApp({
      env: { UPLOAD_CHUNK_BYTES: String(CHUNK) },
      log: recordingLogger(problems),
    });
  });
  afterAll(() => app.close());
  afterEach(() => expect(problems).toEqual([]));

  it('keeps exactly what arrived at each random cut and resumes byte-identical', async () => {
    const plaintext = testBytes(1_200_000);
    const { key, ciphertext } = await encryptFile(plaintext);
    const url = await createUpload(app.url, ciphertext.length);

    let offset = 0;
    for (let i = 0; i < 6; i++) {
      const remaining = ciphertext.length - offset;
      const sent = ciphertext.subarray(offset, offset + cut(Math.floor(remaining / 4)));
      const stored = await interruptedPatch(url, offset, remaining, sent);
      expect(stored).toBe(offset + sent.length); // not rounded down to a chunk
      offset = stored;
    }
    // The client only learns the offset from HEAD; a stale offset is refused, not merged.
    expect(await headOffset(url)).toBe(offset);
    const stale = await patch(url, offset - 1, ciphertext.subarray(offset - 1));
    expect([stale.status, stale.code]).toEqual([409, 'UPLOAD_OFFSET_MISMATCH']);
    const last = await patch(url, offset, ciphertext.subarray(offset));
    expect([last.status, last.headers.get('upload-offset')]).toEqual([
      204,
      String(ciphertext.length),
    ]);

    const store = createPostgresBlobStore(app.pool, { chunkBytes: CHUNK });
    const id = url.split('/').pop() ?? '';
    expect((await collect(store.read(id))).equals(ciphertext)).toBe(true);
    const plain = await collect(store.read(id).pipe(createDecryptStream(key)));
    expect(plain.equals(Buffer.from(plaintext))).toBe(true);
    // Resumed, so the hash was computed by reading the chunks back.
    const { rows } = await app.pool.query(`SELECT complete, sha256 FROM blobs WHERE id = $1`, [id]);
    expect(rows[0].complete).toBe(true);
    expect(rows[0].sha256).toHaveLength(32);
  });

  it('refuses a second writer at the same offset instead of interleaving', async () => {
    const { ciphertext } = await encryptFile(testBytes(300_000));
    const url = await createUpload(app.url, ciphertext.length);
    const results = await Promise.all([patch(url, 0, ciphertext), patch(url, 0, ciphertext)]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses[0]).toBe(204);
    // The loser is refused at its first chunk (409) — or, if it started after the winner
    // finished, finds the upload complete (409 too).
    expect(statuses[1]).toBe(409);
    const store = createPostgresBlobStore(app.pool, { chunkBytes: CHUNK });
    expect((await collect(store.read(url.split('/').pop() ?? ''))).equals(ciphertext)).toBe(true);
  });
});
