import type { Queryable } from '../db';

// Replies as their source fetches them: sealed to the source's key, found by the token hash.

export interface SealedReplyRow {
  id: string;
  sealed: Buffer;
  createdOn: string; // YYYY-MM-DD
}

export async function listRepliesToSource(
  db: Queryable,
  tokenHash: Uint8Array,
  limit = 100,
): Promise<SealedReplyRow[]> {
  // to_char keeps the date a plain day: node-pg would turn a date into a local-midnight Date.
  const { rows } = await db.query<{ id: string; sealed: Buffer; created_on: string }>(
    `SELECT id, sealed, to_char(created_on, 'YYYY-MM-DD') AS created_on
       FROM replies WHERE source_token_hash = $1 AND direction = 'to-source'
      ORDER BY created_on DESC, id DESC LIMIT $2`,
    [Buffer.from(tokenHash), limit],
  );
  // The newest `limit`, shown oldest first.
  return rows.reverse().map((r) => ({ id: r.id, sealed: r.sealed, createdOn: r.created_on }));
}
