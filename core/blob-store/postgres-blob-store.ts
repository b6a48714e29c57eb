import { Readable } from 'node:stream';
import type { Pool } from 'pg';
import { randomId } from '../../crypto';
import { withTransaction, type Queryable } from '../db';
import { notFound, AppError } from '../errors';
import {
  BlobAppendError,
  type AppendRefusal,
  type AppendResult,
  type BlobKind,
  type BlobState,
  type BlobStore,
} from './blob-store';
import { appendChunked } from './chunked-append';

// Chunks are rows of blob_chunks, numbered in write order. Their sizes vary (an interrupted
// upload leaves a short one), so the offset is the blobs row's length, never seq × size.

interface BlobRow {
  id: string;
  kind: BlobKind;
  length: string; // bigint
  declared_length: string | null;
  complete: boolean;
}

const toState = (r: BlobRow): BlobState => ({
  id: r.id,
  kind: r.kind,
  length: Number(r.length),
  declaredLength: r.declared_length === null ? null : Number(r.declared_length),
  complete: r.complete,
});

async function findBlob(db: Queryable, id: string): Promise<BlobState | null> {
  const { rows } = await db.query<BlobRow>(
    `SELECT id, kind, length, declared_length, complete FROM blobs WHERE id = $1`,
    [id],
  );
  return rows[0] ? toState(rows[0]) : null;
}

function refusal(state: BlobState | null, expected: number, size: number): AppendRefusal {
  if (!state) return 'missing';
  if (state.complete) return 'complete';
  if (state.length !== expected) return 'offset';
  return state.declaredLength !== null && expected + size > state.declaredLength
    ? 'overflow'
    : 'offset';
}

/** One chunk row at a time, then a check that nothing vanished while it was read. */
async function* chunks(pool: Pool, id: string): AsyncGenerator<Buffer> {
  const blob = await findBlob(pool, id);
  if (!blob) throw notFound('BLOB_NOT_FOUND', 'No such blob');
  let seq = -1;
  let total = 0;
  for (;;) {
    const { rows } = await pool.query<{ seq: number; data: Buffer }>(
      `SELECT seq, data FROM blob_chunks WHERE blob_id = $1 AND seq > $2 ORDER BY seq LIMIT 1`,
      [id, seq],
    );
    const row = rows[0];
    if (!row) break;
    seq = row.seq;
    total += row.data.length;
    yield row.data;
  }
  if (total !== blob.length) {
    throw new AppError('BLOB_CHANGED', 409, 'Blob changed while it was read');
  }
}

export function createPostgresBlobStore(pool: Pool, options: { chunkBytes: number }): BlobStore {
  const store: BlobStore = {
    chunkBytes: options.chunkBytes,

    async create(kind, declaredLength, opts = {}) {
      const id = randomId();
      await pool.query(
        `INSERT INTO blobs (id, kind, declared_length, expires_on)
         VALUES ($1, $2, $3, current_date + $4::integer)`,
        [id, kind, declaredLength, opts.expiresInDays ?? null],
      );
      return id;
    },

    state: (id) => findBlob(pool, id),

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
        const { rows } = await tx.query<{ length: string; complete: boolean }>(
          `UPDATE blobs
              SET length = length + $3,
                  complete = (declared_length IS NOT NULL AND length + $3 = declared_length)
            WHERE id = $1 AND length = $2 AND NOT complete
              AND (declared_length IS NULL OR length + $3 <= declared_length)
           RETURNING length, complete`,
          [id, expected, data.length],
        );
        const row = rows[0];
        if (!row) {
          const state = await findBlob(tx, id);
          throw new BlobAppendError(refusal(state, expected, data.length), state?.length ?? 0);
        }
        await tx.query(
          `INSERT INTO blob_chunks (blob_id, seq, data)
           SELECT $1, coalesce(max(seq) + 1, 0), $2 FROM blob_chunks WHERE blob_id = $1`,
          [id, data],
        );
        return { offset: Number(row.length), complete: row.complete };
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
