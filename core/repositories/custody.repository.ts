import type { Queryable } from '../db';
import {
  nextCustodyEntry,
  type CustodyDraft,
  type CustodyEntry,
  type CustodySigner,
} from '../custody';

// The custody log table is append-only (a trigger refuses UPDATE and DELETE); this is the only
// code that writes it.

// One chain for the whole deployment: every appender takes this lock for the rest of its
// transaction, so concurrent workers see each other's head and never fork the chain.
const CUSTODY_LOCK = 0x534f5249_02; // "SORI" 2

interface DbRow {
  seq: string; // bigint
  record_id: string | null;
  event: string;
  payload: Record<string, string>;
  prev_hash: Buffer;
  entry_hash: Buffer;
  signer_id: string;
  signature: Buffer;
}

const toEntry = (r: DbRow): CustodyEntry => ({
  seq: Number(r.seq),
  recordId: r.record_id,
  event: r.event,
  payload: r.payload,
  prevHash: new Uint8Array(r.prev_hash),
  entryHash: new Uint8Array(r.entry_hash),
  signerId: r.signer_id,
  signature: new Uint8Array(r.signature),
});

/** Appends inside the caller's transaction: the entry commits or rolls back with its record. */
export async function appendCustodyEntry(
  tx: Queryable,
  draft: CustodyDraft,
  signer: CustodySigner,
): Promise<CustodyEntry> {
  await tx.query(`SELECT pg_advisory_xact_lock($1)`, [CUSTODY_LOCK]);
  const { rows } = await tx.query<{ seq: string; entry_hash: Buffer }>(
    `SELECT seq, entry_hash FROM custody_log ORDER BY seq DESC LIMIT 1`,
  );
  const head = rows[0]
    ? { seq: Number(rows[0].seq), entryHash: new Uint8Array(rows[0].entry_hash) }
    : null;
  const entry = nextCustodyEntry(head, draft, signer);
  await tx.query(
    `INSERT INTO custody_log (seq, record_id, event, payload, prev_hash, entry_hash, signer_id, signature)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      entry.seq,
      entry.recordId,
      entry.event,
      JSON.stringify(entry.payload),
      Buffer.from(entry.prevHash),
      Buffer.from(entry.entryHash),
      entry.signerId,
      Buffer.from(entry.signature),
    ],
  );
  return entry;
}

/** The whole chain in order (for verification); `afterSeq` pages through long logs. */
export async function listCustodyEntries(
  db: Queryable,
  afterSeq = 0,
  limit = 10_000,
): Promise<CustodyEntry[]> {
  const { rows } = await db.query<DbRow>(
    `SELECT seq, record_id, event, payload, prev_hash, entry_hash, signer_id, signature
       FROM custody_log WHERE seq > $1 ORDER BY seq LIMIT $2`,
    [afterSeq, limit],
  );
  return rows.map(toEntry);
}

export async function listCustodyEntriesForRecord(
  db: Queryable,
  recordId: string,
): Promise<CustodyEntry[]> {
  const { rows } = await db.query<DbRow>(
    `SELECT seq, record_id, event, payload, prev_hash, entry_hash, signer_id, signature
       FROM custody_log WHERE record_id = $1 ORDER BY seq`,
    [recordId],
  );
  return rows.map(toEntry);
}
