import { Readable } from 'node:stream';
import type { Pool } from 'pg';
import { withTransaction } from '../db';
import { AppError, E } from '../errors';
import { BlobAppendError, type AppendResult, type BlobStore } from './blob-store';
import { advanceLength, findBlob, insertBlobRow, publicState, refusal } from './blob-rows';
import { appendChunked } from './chunked-append';
import { copyChunks } from './copy-out';

// Chunks are rows of blob_chunks, numbered in write order. Their sizes vary (an interrupted
// upload leaves a short one), so the offset is the blobs row's length, never seq × size.

/**
 * Chunk rows per COPY: with the next batch read ahead, about four chunks in memory. Larger
 * batches measured slower, not faster: more megabytes alive at once made the garbage
 * collector's work grow faster than the per-statement cost shrank.
 */
const READ_BATCH = 2;

/** Resolves after the event loop has polled for I/O once. */
const pollOnce = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The chunk rows in order, then a check that nothing vanished while they were read. The next
 * batch is requested as soon as one arrives, so Postgres reads it while the consumer
 * (decryption, a socket) works on this one.
 */
async function* chunks(pool: Pool, id: string): AsyncGenerator<Buffer> {
  const blob = await findBlob(pool, id);
  if (!blob) throw new AppError(E.BLOB_NOT_FOUND);
  // Written under BLOB_STORE=s3: its bytes are objects, which only that store can read.
  if (blob.store !== 'postgres') throw new AppError(E.BLOB_ELSEWHERE);
  const after = (seq: number) => {
    const batch = copyChunks(pool, id, seq, READ_BATCH);
    batch.catch(() => undefined); // a reader that stops early never awaits the last one
    return batch;
  };
  let next = after(-1);
  let total = 0;
  for (;;) {
    const rows = await next;
    if (rows.length === 0) break;
    next = rows.length === READ_BATCH ? after(rows[rows.length - 1]!.seq) : Promise.resolve([]);
    for (const row of rows) {
      total += row.data.length;
      yield row.data;
      // A consumer that works synchronously (decryption) and hands back through promises
      // never lets the event loop reach its I/O phase while rows are queued here: the batch
      // read ahead then waited in the kernel's socket buffer, Postgres stalled once that was
      // full, and most of the batch only moved once this loop awaited it. Polling after each
      // row lets it arrive while the consumer works (measured: 230 → 290 MB/s read+decrypt).
      await pollOnce();
    }
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
