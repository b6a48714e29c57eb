import { BlobAppendError, createPostgresBlobStore, type BlobStore } from '../../../core/blob-store';
import { PARTIAL_CHUNK_AFTER_MS } from '../../../core/blob-store/chunked-append';
import { copyChunkSlices, SLICE_BYTES } from '../../../core/blob-store/copy-out';
import {
  batchRows,
  READ_AHEAD_BYTES,
  READ_BATCH,
  READ_BATCH_BYTES,
} from '../../../core/blob-store/postgres-blob-store';
import { initCrypto } from '../../../crypto';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { collect, testBytes } from './tus-fixtures';

// The Postgres store's own mechanics under the changes made for throughput: appends fill one
// buffer while the previous chunk commits, and reads use COPY (binary) in batches of rows sent
// in slices, streamed as they arrive.

const CHUNK = 65536;

async function* pieces(data: Buffer, size: number, failAfter?: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < data.length; at += size) {
    if (failAfter !== undefined && at >= failAfter) throw new Error('circuit dropped');
    yield data.subarray(at, at + size);
  }
}

describe('PostgresBlobStore: pipelined appends and COPY reads', () => {
  let db: TestDatabase;
  let store: BlobStore;
  beforeAll(async () => {
    await initCrypto();
    db = await createTestDatabase();
    store = createPostgresBlobStore(db.pool, { chunkBytes: CHUNK });
  });
  afterAll(() => db.drop());

  it.each([0, 1, CHUNK - 1, CHUNK, 2 * CHUNK, 5 * CHUNK + 77])(
    'writes and reads back %i bytes byte-identical, in order',
    async (n) => {
      const data = testBytes(n);
      const id = await store.create('record-file', null);
      // Odd piece sizes so chunk boundaries fall inside pieces.
      const done = await store.append(id, 0, pieces(data, 10_007));
      expect(done.offset).toBe(n);
      expect((await collect(store.read(id))).equals(data)).toBe(true);
      const { rows } = await db.pool.query(
        `SELECT count(*)::int AS n FROM blob_chunks WHERE blob_id = $1`,
        [id],
      );
      expect(rows[0].n).toBe(Math.ceil(n / CHUNK));
    },
  );

  it("commits a slow source's partial chunk once its first byte is PARTIAL_CHUNK_AFTER_MS old", async () => {
    const data = testBytes(3000);
    const id = await store.create('record-file', null);
    // Only the clock is faked: a source sending 1000 bytes, then (time passes) 1000, then 1000.
    jest.useFakeTimers({
      doNotFake: [
        'setTimeout',
        'setInterval',
        'setImmediate',
        'nextTick',
        'queueMicrotask',
        'clearTimeout',
        'clearInterval',
        'clearImmediate',
        'hrtime',
        'performance',
      ],
    });
    try {
      async function* slow(): AsyncGenerator<Buffer> {
        yield data.subarray(0, 1000);
        jest.setSystemTime(Date.now() + PARTIAL_CHUNK_AFTER_MS);
        yield data.subarray(1000, 2000); // the chunk's first byte is now old enough: committed
        yield data.subarray(2000);
      }
      expect((await store.append(id, 0, slow())).offset).toBe(3000);
    } finally {
      jest.useRealTimers();
    }
    const { rows } = await db.pool.query(
      `SELECT octet_length(data) AS n FROM blob_chunks WHERE blob_id = $1 ORDER BY seq`,
      [id],
    );
    expect(rows.map((r: { n: number }) => r.n)).toEqual([2000, 1000]);
    expect((await collect(store.read(id))).equals(data)).toBe(true);
  });

  it('keeps every byte that arrived before the source failed, the chunk in flight too', async () => {
    const data = testBytes(7 * CHUNK + 500);
    const id = await store.create('upload', data.length);
    const seen: number[] = [];
    await expect(
      store.append(id, 0, pieces(data, 30_000, 4 * CHUNK + 1234), {
        onChunk: (c) => seen.push(c.length),
      }),
    ).rejects.toThrow('circuit dropped');
    // pieces() yields whole 30 000-byte pieces below the failure point.
    const arrived = Math.ceil((4 * CHUNK + 1234) / 30_000) * 30_000;
    expect(await store.offset(id)).toBe(arrived);
    expect(seen.reduce((a, b) => a + b, 0)).toBe(arrived); // onChunk saw exactly what committed
    expect((await collect(store.read(id))).equals(data.subarray(0, arrived))).toBe(true);
    const rest = await store.append(id, arrived, pieces(data.subarray(arrived), 30_000));
    expect(rest).toEqual({ offset: data.length, complete: true });
    expect((await collect(store.read(id))).equals(data)).toBe(true);
  });

  it('stops at the first refused chunk and writes nothing after it', async () => {
    const data = testBytes(6 * CHUNK);
    const id = await store.create('upload', data.length);
    await store.appendChunk(id, 0, data.subarray(0, 100)); // someone else got there first
    await expect(store.append(id, 0, pieces(data, CHUNK))).rejects.toBeInstanceOf(BlobAppendError);
    expect(await store.offset(id)).toBe(100);
    expect((await collect(store.read(id))).equals(data.subarray(0, 100))).toBe(true);
  });

  it('reads an empty blob as nothing, and a missing one as BLOB_NOT_FOUND', async () => {
    const id = await store.create('record-file', null);
    expect((await collect(store.read(id))).length).toBe(0);
    await store.delete(id);
    await expect(collect(store.read(id))).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });
  });

  it('refuses a blob whose chunks vanish while it is read (409)', async () => {
    // Longer than the read-ahead and two batches, so the rows deleted are not yet read.
    const rows = READ_AHEAD_BYTES / CHUNK + 4 * READ_BATCH;
    const data = testBytes(rows * CHUNK);
    const id = await store.create('record-file', null);
    await store.append(id, 0, pieces(data, CHUNK));
    const reader = store.read(id)[Symbol.asyncIterator]();
    await reader.next();
    await db.pool.query(`DELETE FROM blob_chunks WHERE blob_id = $1 AND seq > $2`, [
      id,
      rows - READ_BATCH,
    ]);
    await expect(
      (async () => {
        for (;;) if ((await reader.next()).done) return;
      })(),
    ).rejects.toMatchObject({ code: 'BLOB_CHANGED' });
  });

  it('reads ahead across batches with rows of uneven size, for a slow consumer too', async () => {
    // Short chunks mid-blob (PATCHes that stopped early), an odd number of rows, so batch
    // boundaries and the read-ahead fall at uneven offsets.
    const sizes = [CHUNK, 100, CHUNK, 1, CHUNK - 5, CHUNK, 7, CHUNK, 3000];
    const data = testBytes(sizes.reduce((a, b) => a + b, 0));
    const id = await store.create('record-file', null);
    let at = 0;
    for (const n of sizes) at = (await store.appendChunk(id, at, data.subarray(at, at + n))).offset;
    const got: Buffer[] = [];
    for await (const chunk of store.read(id)) {
      got.push(chunk as Buffer);
      await new Promise((r) => setTimeout(r, 5)); // the next batch arrives meanwhile
    }
    expect(Buffer.concat(got).equals(data)).toBe(true);
  });

  it('reads rows larger than a COPY slice back byte-identical, in slices no larger', async () => {
    const big = createPostgresBlobStore(db.pool, { chunkBytes: 2 * SLICE_BYTES + 123 });
    const data = testBytes(3 * big.chunkBytes - 77);
    const id = await big.create('record-file', null);
    await big.append(id, 0, pieces(data, 100_003));
    const got: Buffer[] = [];
    const reader = big.read(id);
    reader.on('data', (chunk: Buffer) => got.push(chunk)); // each slice as pushed
    await new Promise((resolve, reject) => reader.on('end', resolve).on('error', reject));
    expect(got.length).toBe(9);
    expect(got.every((c) => c.length <= SLICE_BYTES)).toBe(true);
    expect(Buffer.concat(got).equals(data)).toBe(true);
  });

  it('copies a batch of rows in slices, from after a seq, up to a limit', async () => {
    const sizes = [2500, 1000, 1, 999, 3001];
    const data = testBytes(sizes.reduce((a, b) => a + b, 0));
    const id = await store.create('record-file', null);
    let at = 0;
    for (const n of sizes) at = (await store.appendChunk(id, at, data.subarray(at, at + n))).offset;
    const slices: Buffer[] = [];
    const read = await copyChunkSlices(db.pool, id, 0, 3, (s) => slices.push(s), 1000);
    expect(slices.map((s) => s.length)).toEqual([1000, 1, 999]);
    expect(read).toEqual({ rows: 3, lastSeq: 3, bytes: 2000 });
    expect(Buffer.concat(slices).equals(data.subarray(2500, 4500))).toBe(true);
    slices.length = 0;
    const rest = await copyChunkSlices(db.pool, id, 3, 3, (s) => slices.push(s), 1000);
    expect(slices.map((s) => s.length)).toEqual([1000, 1000, 1000, 1]);
    expect(rest).toEqual({ rows: 1, lastSeq: 4, bytes: 3001 });
  });

  it('holds at most its read-ahead and one batch for a reader that stops taking bytes', async () => {
    const data = testBytes(READ_AHEAD_BYTES + 5 * READ_BATCH * CHUNK);
    const id = await store.create('record-file', null);
    await store.append(id, 0, pieces(data, CHUNK));
    const reader = store.read(id);
    const first = await new Promise<Buffer>((resolve) => reader.once('data', resolve));
    reader.pause();
    await new Promise((r) => setTimeout(r, 300)); // time for any read-ahead to arrive
    expect(reader.readableLength).toBeLessThanOrEqual(READ_AHEAD_BYTES + READ_BATCH * CHUNK);
    // It read ahead: more than the slice it gave, and a batch beyond it once it had asked again.
    expect(reader.readableLength).toBeGreaterThan(READ_BATCH * CHUNK);
    const rest = await collect(reader);
    expect(Buffer.concat([first, rest]).equals(data)).toBe(true);
  });

  it('copies fewer rows per batch where chunks are large, so a batch stays within its bytes', () => {
    expect(batchRows(CHUNK)).toBe(READ_BATCH);
    expect(batchRows(1024 * 1024) * 1024 * 1024).toBeLessThanOrEqual(READ_BATCH_BYTES);
    expect(batchRows(4 * 1024 * 1024)).toBe(READ_BATCH_BYTES / (4 * 1024 * 1024));
    expect(batchRows(16 * 1024 * 1024)).toBe(1);
    expect(batchRows(64 * 1024 * 1024)).toBe(1); // a row is never split across COPYs
  });

  it('returns every connection to the pool when a reader stops early', async () => {
    const data = testBytes(9 * CHUNK);
    const id = await store.create('record-file', null);
    await store.append(id, 0, pieces(data, CHUNK));
    for (let i = 0; i < 5; i++) {
      const reader = store.read(id);
      for await (const _chunk of reader) break; // destroys the stream with a batch in flight
    }
    // The batches read ahead finish on their own; then nothing is left checked out.
    const deadline = Date.now() + 5000;
    while (db.pool.totalCount !== db.pool.idleCount && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(db.pool.totalCount).toBe(db.pool.idleCount);
    expect(db.pool.waitingCount).toBe(0);
    expect((await collect(store.read(id))).equals(data)).toBe(true);
  });
});
