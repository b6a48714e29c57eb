import { randomId } from '../../crypto';
import type { Queryable } from '../db';
import type { AppendRefusal, BlobKind, BlobState } from './blob-store';

// The blobs row every store keeps in Postgres, whatever holds the bytes: its length is the
// tus offset, committed in the same transaction as the bytes' bookkeeping.

export type BlobLocation = 'postgres' | 's3';

interface BlobRow {
  id: string;
  kind: BlobKind;
  length: string; // bigint
  declared_length: string | null;
  complete: boolean;
  store: BlobLocation;
}

export interface StoredBlob extends BlobState {
  store: BlobLocation;
}

/** A new, empty blob row; `store` says where its bytes will live. Returns its id. */
export async function insertBlobRow(
  db: Queryable,
  store: BlobLocation,
  kind: BlobKind,
  declaredLength: number | null,
  expiresInDays: number | undefined,
): Promise<string> {
  const id = randomId();
  await db.query(
    `INSERT INTO blobs (id, kind, declared_length, expires_on, store)
     VALUES ($1, $2, $3, current_date + $4::integer, $5)`,
    [id, kind, declaredLength, expiresInDays ?? null, store],
  );
  return id;
}

export async function findBlob(db: Queryable, id: string): Promise<StoredBlob | null> {
  const { rows } = await db.query<BlobRow>(
    `SELECT id, kind, length, declared_length, complete, store FROM blobs WHERE id = $1`,
    [id],
  );
  const r = rows[0];
  return r
    ? {
        id: r.id,
        kind: r.kind,
        length: Number(r.length),
        declaredLength: r.declared_length === null ? null : Number(r.declared_length),
        complete: r.complete,
        store: r.store,
      }
    : null;
}

/** Public state only: where the bytes live is the store's business. */
export const publicState = ({ store: _store, ...state }: StoredBlob): BlobState => state;

/**
 * Why an append of `size` bytes at `expected` cannot go ahead, given the row as it is. A blob
 * whose bytes live in another store is missing as far as this one is concerned.
 */
export function refusal(
  state: StoredBlob | null,
  store: BlobLocation,
  expected: number,
  size: number,
): AppendRefusal {
  if (!state || state.store !== store) return 'missing';
  if (state.complete) return 'complete';
  if (state.length !== expected) return 'offset';
  return state.declaredLength !== null && expected + size > state.declaredLength
    ? 'overflow'
    : 'offset';
}

/**
 * Advances the length by `size` if the row is where the writer expects it; null when it is
 * not (the caller reads the row again for the reason). Call inside the transaction that
 * records the bytes: the row lock serialises writers of one blob.
 */
export async function advanceLength(
  tx: Queryable,
  id: string,
  expected: number,
  size: number,
  store: BlobLocation,
): Promise<{ offset: number; complete: boolean } | null> {
  const { rows } = await tx.query<{ length: string; complete: boolean }>(
    `UPDATE blobs
        SET length = length + $3,
            complete = (declared_length IS NOT NULL AND length + $3 = declared_length)
      WHERE id = $1 AND length = $2 AND NOT complete AND store = $4
        AND (declared_length IS NULL OR length + $3 <= declared_length)
     RETURNING length, complete`,
    [id, expected, size, store],
  );
  const row = rows[0];
  return row ? { offset: Number(row.length), complete: row.complete } : null;
}
