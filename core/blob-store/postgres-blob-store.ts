import { Readable } from 'node:stream';
import type { Pool } from 'pg';
import { withTransaction } from '../db';
import { AppError, E } from '../errors';
import { BlobAppendError, type AppendResult, type BlobStore } from './blob-store';
import { advanceLength, findBlob, insertBlobRow, publicState, refusal } from './blob-rows';
import { appendChunked } from './chunked-append';
import { copyChunkSlices } from './copy-out';

// Chunks are rows of blob_chunks, numbered in write order. Their sizes vary (an interrupted
// upload leaves a short one), so the offset is the blobs row's length, never seq × size.

/**
 * Chunk rows per COPY, at most: with the stream's buffer, the most a slow reader holds in
 * memory, as the next COPY starts only once the stream asks for more. Each COPY is one
 * statement, so a blob deleted while it is read shows as missing rows at the next one
 * (BLOB_CHANGED). Each also waits for a round trip and a statement's start before its first
 * slice: with 4 rows, 1.6–6 ms at the median and 11–21 ms at p90 on the shared 2-core bench
 * machine, 300–600 ms of the 730–1430 ms a 256 MiB COPY-only read took. 16 rows (16 MiB at the
 * default chunk size) make a quarter of those waits, and of Postgres's statement starts (see
 * core/blob-store/BLOB-STORE.md for the paired runs).
 */
export const READ_BATCH = 16;

/** A batch's bytes at the store's chunk size, at most: large chunks get fewer rows per COPY. */
export const READ_BATCH_BYTES = 16 * 1024 * 1024;

/** Rows per COPY for a store whose appends write chunks of chunkBytes. */
export const batchRows = (chunkBytes: number): number =>
  Math.max(1, Math.min(READ_BATCH, Math.floor(READ_BATCH_BYTES / chunkBytes)));

/**
 * The stream's buffer (highWaterMark): it asks for the next batch once fewer bytes than this
 * wait to be taken, so that COPY starts while the consumer still works through the last of
 * this one. With Node's default 16 KiB the first 256 KiB slice filled it, and each COPY only
 * began once the consumer had drained everything: decryption then waited for Postgres at every
 * batch (paired bench runs, native read+decrypt: 58.4/59.3 % of raw secretstream with 16 KiB,
 * 66.1/65.3/70.9 % with 1 MiB, 62.0/64.4 % with 4 MiB).
 */
export const READ_AHEAD_BYTES = 1024 * 1024;

/**
 * The chunk rows in order, in slices pushed as they arrive from Postgres, then a check that
 * nothing vanished while they were read. A consumer that keeps up (decryption, a socket)
 * takes each slice inside the socket read that brought it, so slices die young: gathered
 * whole rows waited for their batch, reached the old generation and set off mark-compacts
 * (core/blob-store/BLOB-STORE.md). The next COPY starts as soon as one ends if the stream
 * has asked for more since its buffer last filled, otherwise on its next ask: a reader that
 * stops taking bytes holds READ_AHEAD_BYTES and one batch.
 */
class ChunkStream extends Readable {
  private after = -1; // the last chunk row's seq
  private total = 0;
  private length = -1; // the blobs row's length, once found
  private copying = false;
  private wanted = false;
  private done = false;

  constructor(
    private readonly pool: Pool,
    private readonly id: string,
    private readonly batch: number,
  ) {
    super({ highWaterMark: READ_AHEAD_BYTES });
  }

  override _read(): void {
    this.wanted = true;
    if (!this.copying && !this.done) void this.step();
  }

  private async step(): Promise<void> {
    this.copying = true;
    this.wanted = false;
    try {
      if (this.length < 0) {
        const blob = await findBlob(this.pool, this.id);
        if (!blob) throw new AppError(E.BLOB_NOT_FOUND);
        // Written under BLOB_STORE=s3: its bytes are objects, which only that store can read.
        if (blob.store !== 'postgres') throw new AppError(E.BLOB_ELSEWHERE);
        this.length = blob.length;
      }
      const read = await copyChunkSlices(this.pool, this.id, this.after, this.batch, (data) => {
        // A full buffer answers every _read so far: the stream calls it again once drained.
        if (!this.destroyed && !this.push(data)) this.wanted = false;
      });
      this.after = read.lastSeq;
      this.total += read.bytes;
      if (this.destroyed)
        this.done = true; // the reader stopped early
      else if (read.rows < this.batch) {
        this.done = true;
        if (this.total !== this.length) throw new AppError(E.BLOB_CHANGED);
        this.push(null);
      }
    } catch (err) {
      this.done = true;
      this.destroy(err as Error);
    } finally {
      this.copying = false;
    }
    if (this.wanted && !this.done) void this.step();
  }
}

export function createPostgresBlobStore(pool: Pool, options: { chunkBytes: number }): BlobStore {
  const batch = batchRows(options.chunkBytes);
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

    read: (id) => new ChunkStream(pool, id, batch),

    async delete(id) {
      const { rowCount } = await pool.query(`DELETE FROM blobs WHERE id = $1`, [id]);
      return rowCount === 1;
    },
  };
  return store;
}
