import { Readable } from 'node:stream';
import type { Pool } from 'pg';
import { withTransaction } from '../db';
import { AppError, E } from '../errors';
import { BlobAppendError, type AppendResult, type BlobStore } from './blob-store';
import { advanceLength, findBlob, insertBlobRow, publicState, refusal } from './blob-rows';
import { appendChunked } from './chunked-append';
import { copyChunks, type CopiedChunk } from './copy-out';

// Chunks are rows of blob_chunks, numbered in write order. Their sizes vary (an interrupted
// upload leaves a short one), so the offset is the blobs row's length, never seq × size.

/**
 * One chunk row per COPY, three COPYs under way (each on a connection of its own) while a row
 * is consumed: at most four chunks in memory per read (core/blob-store/BLOB-STORE.md).
 */
const READ_BATCH = 1;
const READ_AHEAD = 3;

/** Resolves after the event loop has polled for I/O once. */
const pollOnce = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Batch {
  after: number;
  rows: Promise<CopiedChunk[]>;
}

/**
 * The chunk rows in order, then a check that nothing vanished while they were read. Batches
 * are asked for ahead presuming seq numbers without gaps (appends number them so); a batch
 * that shows a gap drops the ones asked for after it and asks again from where it ended.
 */
async function* chunks(pool: Pool, id: string): AsyncGenerator<Buffer> {
  const blob = await findBlob(pool, id);
  if (!blob) throw new AppError(E.BLOB_NOT_FOUND);
  // Written under BLOB_STORE=s3: its bytes are objects, which only that store can read.
  if (blob.store !== 'postgres') throw new AppError(E.BLOB_ELSEWHERE);
  let ahead: Batch[] = [];
  let asked = -1; // the last seq some batch asked for, presumed
  const ask = (): void => {
    const rows = copyChunks(pool, id, asked, READ_BATCH);
    rows.catch(() => undefined); // a reader that stops early never awaits these
    ahead.push({ after: asked, rows });
    asked += READ_BATCH;
  };
  let total = 0;
  for (;;) {
    while (ahead.length < READ_AHEAD) ask();
    const batch = ahead.shift() as Batch;
    const rows = await batch.rows;
    const last = rows.at(-1)?.seq;
    if (last !== undefined && last !== batch.after + rows.length) {
      ahead = []; // they finish on their own and return their clients
      asked = last;
    }
    for (const row of rows) {
      total += row.data.length;
      yield row.data;
      // A consumer that works synchronously (decryption) and hands back through promises
      // never lets the event loop reach its I/O phase while rows are queued here: the rows
      // read ahead then waited in the kernel's socket buffers. Polling after each row lets
      // them arrive while the consumer works.
      await pollOnce();
    }
    if (rows.length < READ_BATCH) break;
  }
  if (total !== blob.length) {
    throw new AppError(E.BLOB_CHANGED);
  }
}

export function createPostgresBlobStore(pool: Pool, options: { chunkBytes: number }): BlobStore {
  const store: BlobStore = {
    chunkBytes: options.chunkBytes,

    create: (kind, declaredLength, opts = {}) =>
      insertBlobRow(pool, 'postgres', kind, declaredLength, opts.expiresInDays),

    async state(id) {
      const blob = await findBlob(pool, id);
      return blob ? publicState(blob) : null;
    },

    async offset(id) {
      return (await findBlob(pool, id))?.length ?? null;
    },

    async appendChunk(id, expected, data): Promise<AppendResult> {
      if (data.length === 0) {
        const state = await findBlob(pool, id);
        if (!state) throw new BlobAppendError('missing', expected);
        return { offset: state.length, complete: state.complete };
      }
      return withTransaction(pool, async (tx) => {
        // The row lock taken here serialises writers of one blob; the offset check makes a
        // stale or duplicate PATCH fail instead of interleaving bytes.
        const row = await advanceLength(tx, id, expected, data.length, 'postgres');
        if (!row) {
          const state = await findBlob(tx, id);
          const reason = refusal(state, 'postgres', expected, data.length);
          throw new BlobAppendError(reason, state?.length ?? 0);
        }
        await tx.query(
          `INSERT INTO blob_chunks (blob_id, seq, data)
           SELECT $1, coalesce(max(seq) + 1, 0), $2 FROM blob_chunks WHERE blob_id = $1`,
          [id, data],
        );
        return row;
      });
    },

    append: (id, offset, source, opts) => appendChunked(store, id, offset, source, opts),

    async complete(id, sha256) {
      const { rowCount } = await pool.query(
        `UPDATE blobs SET complete = true, declared_length = length,
                sha256 = coalesce($2, sha256)
          WHERE id = $1 AND (declared_length IS NULL OR declared_length = length)`,
        [id, sha256 ? Buffer.from(sha256) : null],
      );
      return rowCount === 1;
    },

    read: (id) => Readable.from(chunks(pool, id), { objectMode: false }),

    async delete(id) {
      const { rowCount } = await pool.query(`DELETE FROM blobs WHERE id = $1`, [id]);
      return rowCount === 1;
    },
  };
  return store;
}
