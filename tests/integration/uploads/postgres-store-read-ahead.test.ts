import type { Pool } from 'pg';
import { createPostgresBlobStore, type BlobStore } from '../../../core/blob-store';
import { createPool } from '../../../core/db';
import { createDecryptStream, createEncryptStream, initCrypto, randomBytes } from '../../../crypto';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { TEST_DATABASE_URL } from '../../support/env';
import { collect, testBytes } from './tus-fixtures';

// The Postgres store's read-ahead: several one-row COPYs under way on connections of their
// own while a row is consumed, asked for by presumed seq numbers.

const CHUNK = 65536;

async function* pieces(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

/** The most connections `pool` had checked out at once while `work` ran. */
async function peakCheckedOut(pool: Pool, work: () => Promise<void>): Promise<number> {
  let out = 0;
  let peak = 0;
  const acquire = (): void => void (peak = Math.max(peak, ++out));
  const release = (): void => void out--;
  pool.on('acquire', acquire);
  pool.on('release', release);
  try {
    await work();
  } finally {
    pool.off('acquire', acquire);
    pool.off('release', release);
  }
  return peak;
}

async function settled(pool: Pool): Promise<void> {
  const deadline = Date.now() + 5000;
  while (pool.totalCount !== pool.idleCount && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('PostgresBlobStore: reading ahead', () => {
  let db: TestDatabase;
  let store: BlobStore;
  beforeAll(async () => {
    await initCrypto();
    db = await createTestDatabase();
    store = createPostgresBlobStore(db.pool, { chunkBytes: CHUNK });
  });
  afterAll(() => db.drop());

  it('decrypts a many-chunk blob byte-identical, on a few connections at once', async () => {
    const key = randomBytes(32);
    const plain = testBytes(23 * CHUNK + 4321);
    const cipher = await collect(
      (async function* () {
        const enc = createEncryptStream(key, plain.length);
        enc.end(plain);
        yield* enc;
      })(),
    );
    const id = await store.create('upload', cipher.length);
    await store.append(id, 0, pieces(cipher, 9_999));
    let out: Buffer = Buffer.alloc(0);
    const peak = await peakCheckedOut(db.pool, async () => {
      out = await collect(store.read(id).pipe(createDecryptStream(key)));
    });
    expect(out.equals(plain)).toBe(true);
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(3);
  });

  it('reads byte-identical when seq numbers have gaps (asks again from where a row ended)', async () => {
    const sizes = [CHUNK, 100, CHUNK, 1, CHUNK - 5, CHUNK, 7, CHUNK, 3000, CHUNK, 12];
    const data = testBytes(sizes.reduce((a, b) => a + b, 0));
    const id = await store.create('record-file', null);
    let at = 0;
    for (const n of sizes) at = (await store.appendChunk(id, at, data.subarray(at, at + n))).offset;
    // Same rows and bytes, numbered 0 1 2 | 13 14 15 16 | 117 118 119 120.
    await db.pool.query(`UPDATE blob_chunks SET seq = seq + 10 WHERE blob_id = $1 AND seq > 2`, [
      id,
    ]);
    await db.pool.query(`UPDATE blob_chunks SET seq = seq + 100 WHERE blob_id = $1 AND seq > 16`, [
      id,
    ]);
    const got: Buffer[] = [];
    for await (const chunk of store.read(id)) got.push(chunk as Buffer);
    expect(got.map((c) => c.length)).toEqual(sizes);
    expect(Buffer.concat(got).equals(data)).toBe(true);
  });

  it('reads a blob whole through a pool of one connection (read-ahead waits its turn)', async () => {
    const data = testBytes(7 * CHUNK + 11);
    const id = await store.create('record-file', null);
    await store.append(id, 0, pieces(data, CHUNK));
    const one = createPool(TEST_DATABASE_URL, { schema: db.schema, max: 1 });
    try {
      const small = createPostgresBlobStore(one, { chunkBytes: CHUNK });
      expect((await collect(small.read(id))).equals(data)).toBe(true);
    } finally {
      await one.end();
    }
  });

  it('returns every connection when a slow reader stops midway', async () => {
    const data = testBytes(12 * CHUNK);
    const id = await store.create('record-file', null);
    await store.append(id, 0, pieces(data, CHUNK));
    for (const stopAfter of [1, 4, 9]) {
      let n = 0;
      for await (const _chunk of store.read(id)) {
        await new Promise((r) => setTimeout(r, 5)); // rows read ahead arrive meanwhile
        if (++n === stopAfter) break;
      }
    }
    await settled(db.pool);
    expect(db.pool.totalCount).toBe(db.pool.idleCount);
    expect(db.pool.waitingCount).toBe(0);
    expect((await collect(store.read(id))).equals(data)).toBe(true);
  });
});
