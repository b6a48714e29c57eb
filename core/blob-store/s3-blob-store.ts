import { Readable } from 'node:stream';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import type { Pool } from 'pg';
import { randomId } from '../../crypto';
import { withTransaction } from '../db';
import { AppError, E } from '../errors';
import { BlobAppendError, type AppendResult, type BlobStore } from './blob-store';
import { advanceLength, findBlob, insertBlobRow, refusal } from './blob-rows';
import { appendChunked } from './chunked-append';
import type { S3Target } from './s3-client';

// Blob bytes as S3 objects ("segments", one per committed chunk), bookkeeping in Postgres: the
// tus offset is always exactly the bytes durably stored. Crashes, races, no multipart, and
// where s3rver differs from MinIO and AWS: core/blob-store/BLOB-STORE.md.

/** Every object of a blob is under this prefix, orphans included. */
const prefixOf = (id: string): string => `blobs/${id}/`;
const segmentKey = (id: string, offset: number): string =>
  `${prefixOf(id)}${String(offset).padStart(16, '0')}-${randomId().slice(0, 8)}`;

const changed = () => new AppError(E.BLOB_CHANGED);

interface Segment {
  length: number;
  object_key: string;
}

export interface S3BlobStore extends BlobStore {
  /** Removes the objects of blobs deleted (by any path) since; resolves to how many blobs. */
  sweep(): Promise<number>;
}

export function createS3BlobStore(
  pool: Pool,
  s3: S3Target,
  options: { chunkBytes: number; postgres: BlobStore },
): S3BlobStore {
  const { client, bucket } = s3;

  const get = (key: string): Promise<GetObjectCommandOutput> =>
    client.send(new GetObjectCommand({ Bucket: bucket, Key: key })).catch((err: unknown) => {
      // Deleted meanwhile (the blob with it): the same answer the Postgres store gives.
      if ((err as { name?: string }).name === 'NoSuchKey') throw changed();
      throw err;
    });

  async function deleteKeys(keys: string[]): Promise<void> {
    // DeleteObjects takes at most 1000 keys; ListObjectsV2 pages are at most 1000 too.
    if (keys.length === 0) return;
    const res = await client.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
      }),
    );
    if (res.Errors && res.Errors.length > 0) {
      throw new AppError(E.BLOB_DELETE_FAILED);
    }
  }

  /** Every object under the blob's prefix, page by page, then its entry in blob_object_gc. */
  async function purge(id: string): Promise<void> {
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefixOf(id),
          ContinuationToken: token,
        }),
      );
      await deleteKeys((page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : [])));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    // Collected: the trigger's note of the deleted blob can go.
    await pool.query(`DELETE FROM blob_object_gc WHERE blob_id = $1`, [id]);
  }

  /**
   * The segments in order, each checked against its recorded length; the next object's
   * request is sent while the current one streams, so small segments cost no idle round trip.
   */
  async function* segments(id: string): AsyncGenerator<Buffer> {
    const blob = await findBlob(pool, id);
    if (!blob) throw new AppError(E.BLOB_NOT_FOUND);
    if (blob.store === 'postgres') {
      // Written before the switch to BLOB_STORE=s3: still readable.
      for await (const chunk of options.postgres.read(id)) yield chunk as Buffer;
      return;
    }
    const { rows } = await pool.query<Segment>(
      `SELECT length, object_key FROM blob_segments WHERE blob_id = $1 ORDER BY seq`,
      [id],
    );
    if (rows.reduce((n, s) => n + s.length, 0) !== blob.length) throw changed();
    let next = rows[0] ? get(rows[0].object_key) : null;
    try {
      for (let i = 0; i < rows.length; i++) {
        const res = await (next as Promise<GetObjectCommandOutput>);
        next = i + 1 < rows.length ? get(rows[i + 1]!.object_key) : null;
        let got = 0;
        for await (const piece of res.Body as Readable) {
          got += (piece as Buffer).length;
          yield piece as Buffer;
        }
        // An object cut short or replaced by another size: refuse rather than yield a file
        // with a hole (the ciphertext's MAC would catch it later, with a worse error).
        if (got !== rows[i]!.length) throw changed();
      }
    } finally {
      // Stopped early: do not leave the prefetched response holding a socket.
      if (next) {
        void next.then((res) => (res.Body as Readable | undefined)?.destroy()).catch(() => {});
      }
    }
  }

  const store: S3BlobStore = {
    chunkBytes: options.chunkBytes,

    create: (kind, declaredLength, opts = {}) =>
      insertBlobRow(pool, 's3', kind, declaredLength, opts.expiresInDays),

    // The blobs row is the same whichever store holds the bytes.
    state: (id) => options.postgres.state(id),
    offset: (id) => options.postgres.offset(id),

    async appendChunk(id, expected, data): Promise<AppendResult> {
      // Checked before the PUT too, so a stale or duplicate PATCH costs no object write.
      const before = await findBlob(pool, id);
      if (data.length === 0 && before) return { offset: before.length, complete: before.complete };
      if (before?.store === 'postgres' && before.length === 0 && !before.complete) {
        // An empty blob made by plain SQL (the worker's record files) holds no bytes anywhere,
        // so it becomes an S3 blob — before the first PUT, so even a crash orphan is swept.
        await pool.query(
          `UPDATE blobs SET store = 's3' WHERE id = $1 AND store = 'postgres' AND length = 0`,
          [id],
        );
        before.store = 's3';
      }
      const fits =
        before?.store === 's3' &&
        !before.complete &&
        before.length === expected &&
        (before.declaredLength === null || expected + data.length <= before.declaredLength);
      if (!fits) {
        throw new BlobAppendError(
          refusal(before, 's3', expected, data.length),
          before?.length ?? 0,
        );
      }

      const key = segmentKey(id, expected);
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: data, ContentLength: data.length }),
      );
      try {
        return await withTransaction(pool, async (tx) => {
          const row = await advanceLength(tx, id, expected, data.length, 's3');
          if (!row) {
            const state = await findBlob(tx, id);
            const reason = refusal(state, 's3', expected, data.length);
            throw new BlobAppendError(reason, state?.length ?? 0);
          }
          await tx.query(
            `INSERT INTO blob_segments (blob_id, seq, byte_offset, length, object_key)
             SELECT $1, coalesce(max(seq) + 1, 0), $2, $3, $4 FROM blob_segments WHERE blob_id = $1`,
            [id, expected, data.length, key],
          );
          return row;
        });
      } catch (err) {
        // Only a refusal is certainly rolled back. After any other error the commit may have
        // happened (a connection lost on COMMIT), so the object stays: at worst an orphan.
        if (err instanceof BlobAppendError) await deleteKeys([key]).catch(() => undefined);
        throw err;
      }
    },

    append: (id, offset, source, opts) => appendChunked(store, id, offset, source, opts),

    complete: (id, sha256) => options.postgres.complete(id, sha256),

    read: (id) => Readable.from(segments(id), { objectMode: false }),

    async delete(id) {
      const { rowCount } = await pool.query(`DELETE FROM blobs WHERE id = $1`, [id]);
      if (rowCount !== 1) return false;
      await purge(id); // the trigger queued it; collect now rather than at the next sweep
      return true;
    },

    async sweep() {
      let swept = 0;
      for (;;) {
        const { rows } = await pool.query<{ blob_id: string }>(
          `SELECT blob_id FROM blob_object_gc ORDER BY deleted_on LIMIT 100`,
        );
        for (const { blob_id: id } of rows) await purge(id);
        swept += rows.length;
        if (rows.length < 100) return swept;
      }
    },
  };
  return store;
}
