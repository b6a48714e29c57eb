import type { QueryResult } from 'pg';
import type { Queryable } from '../db';
import {
  nextCustodyEntry,
  type CustodyDraft,
  type CustodyEntry,
  type CustodySigner,
} from '../custody';
import { bytesPacker, packColumn } from './packed-bytes';

// The custody log table is append-only (a trigger refuses UPDATE and DELETE); this is the only
// code that writes it.

// One chain for the whole deployment: every appender takes this lock for the rest of its
// transaction, so concurrent workers see each other's head and never fork the chain. Held to
// COMMIT, it serialises every appender: append last, after the transaction's other statements.
const CUSTODY_LOCK = 0x534f5249_02; // "SORI" 2

// Lock, then read the head, in one round trip: a multi-statement simple query. Each statement
// takes its own snapshot (READ COMMITTED), so the read sees the head committed by whoever held
// the lock before us; in one statement it would use a snapshot from before the wait, and fork.
const LOCK_AND_READ_HEAD = `SELECT pg_advisory_xact_lock(${CUSTODY_LOCK});
SELECT seq, entry_hash FROM custody_log ORDER BY seq DESC LIMIT 1`;

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

/**
 * Appends inside the caller's transaction: the entry commits or rolls back with its record.
 * Make it the transaction's last statement before COMMIT (see CUSTODY_LOCK).
 */
export async function appendCustodyEntry(
  tx: Queryable,
  draft: CustodyDraft,
  signer: CustodySigner,
): Promise<CustodyEntry> {
  const [entry] = await appendCustodyEntries(tx, [draft], signer);
  return entry!;
}

/** The last entry of the chain (null while it is empty), as read under the custody lock. */
export type CustodyHead = Pick<CustodyEntry, 'seq' | 'entryHash'> | null;

/**
 * The statements that take the custody lock and read the head, for a caller that sends them at
 * the end of its own multi-statement simple query (one round trip for several steps); their two
 * results go to custodyHeadFrom. The lock is held to COMMIT, as with appendCustodyEntries.
 */
export const CUSTODY_LOCK_AND_HEAD_SQL = LOCK_AND_READ_HEAD;

export function custodyHeadFrom(
  headResult: QueryResult<{ seq: string; entry_hash: Buffer }>,
): CustodyHead {
  const last = headResult.rows[0];
  return last ? { seq: Number(last.seq), entryHash: new Uint8Array(last.entry_hash) } : null;
}

/** Several entries, chained in the order given, in one lock and one INSERT. */
export async function appendCustodyEntries(
  tx: Queryable,
  drafts: readonly CustodyDraft[],
  signer: CustodySigner,
): Promise<CustodyEntry[]> {
  if (drafts.length === 0) return [];
  // Without values, pg sends a simple query and answers one result per statement.
  const results = (await tx.query(LOCK_AND_READ_HEAD)) as unknown as [
    QueryResult,
    QueryResult<{ seq: string; entry_hash: Buffer }>,
  ];
  return appendCustodyEntriesAfter(tx, custodyHeadFrom(results[1]), drafts, signer);
}

/**
 * Entries chained after `head`, which the caller read in this transaction after taking the
 * custody lock (CUSTODY_LOCK_AND_HEAD_SQL); anything else would fork the chain.
 */
export async function appendCustodyEntriesAfter(
  tx: Queryable,
  head: CustodyHead,
  drafts: readonly CustodyDraft[],
  signer: CustodySigner,
): Promise<CustodyEntry[]> {
  if (drafts.length === 0) return [];
  const entries = chainCustodyEntries(head, drafts, signer);
  const values: unknown[] = [];
  await tx.query({ name: 'sori-custody-append', text: custodyInsertSql(entries, values), values });
  return entries;
}

/** Drafts placed and signed after `head` (read under the custody lock), in the order given. */
export function chainCustodyEntries(
  head: CustodyHead,
  drafts: readonly CustodyDraft[],
  signer: CustodySigner,
): CustodyEntry[] {
  let prev = head;
  return drafts.map((draft) => (prev = nextCustodyEntry(prev, draft, signer)));
}

/**
 * The INSERT of `entries`, for appendCustodyEntriesAfter or as one part (a data-modifying WITH)
 * of a caller's statement, so the entries travel in the round trip of the rows they witness.
 * Its parameters are pushed onto `values`; `onlyIf` is an SQL condition: when false, nothing
 * is appended. The chain rule is the caller's, as with appendCustodyEntriesAfter.
 */
export function custodyInsertSql(
  entries: readonly CustodyEntry[],
  values: unknown[],
  onlyIf = 'true',
): string {
  // The hashes and signatures travel in one binary parameter (packed-bytes.ts).
  const packer = bytesPacker();
  const prev = packColumn(
    packer,
    entries.map((e) => e.prevHash),
  );
  const hash = packColumn(
    packer,
    entries.map((e) => e.entryHash),
  );
  const sig = packColumn(
    packer,
    entries.map((e) => e.signature),
  );
  const [
    blob,
    seq,
    recordId,
    event,
    payload,
    prevAt,
    prevLen,
    hashAt,
    hashLen,
    signer,
    sigAt,
    sigLen,
  ] = [
    packer.blob(),
    entries.map((e) => e.seq),
    entries.map((e) => e.recordId),
    entries.map((e) => e.event),
    entries.map((e) => JSON.stringify(e.payload)),
    prev.offsets,
    prev.lengths,
    hash.offsets,
    hash.lengths,
    entries.map((e) => e.signerId),
    sig.offsets,
    sig.lengths,
  ].map((value) => `$${values.push(value)}`);
  return `INSERT INTO custody_log (seq, record_id, event, payload, prev_hash, entry_hash, signer_id, signature)
          SELECT c.seq, c.record_id, c.event, c.payload,
                 substring(${blob}::bytea FROM c.prev_at FOR c.prev_len),
                 substring(${blob}::bytea FROM c.hash_at FOR c.hash_len), c.signer_id,
                 substring(${blob}::bytea FROM c.sig_at FOR c.sig_len)
            FROM unnest(${seq}::bigint[], ${recordId}::uuid[], ${event}::text[], ${payload}::jsonb[],
                        ${prevAt}::int[], ${prevLen}::int[], ${hashAt}::int[], ${hashLen}::int[],
                        ${signer}::text[], ${sigAt}::int[], ${sigLen}::int[])
                 AS c (seq, record_id, event, payload, prev_at, prev_len, hash_at, hash_len,
                       signer_id, sig_at, sig_len)
           WHERE ${onlyIf}`;
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
