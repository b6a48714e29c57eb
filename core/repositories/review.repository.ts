import type { Queryable } from '../db';

// Records as reviewers see them. Every query is scoped to the caller's wrapped key: a reviewer
// the record was never sealed (or granted) to cannot tell it exists.

export type RecordStatus = 'new' | 'in-review' | 'verified' | 'closed';
export type EntryKind =
  | 'translation'
  | 'human-translation'
  | 'note'
  | 'tag'
  | 'status'
  | 'assignment'
  | 'reply'
  | 'file'
  | 'indicator';

export interface RecordFilter {
  status?: RecordStatus;
  language?: string;
  from?: string;
  to?: string;
  translated?: boolean;
  /** Only the records of this case (the id of its first record). */
  caseId?: string;
  after?: { receivedOn: string; id: string };
  limit: number;
}

export interface RecordSummary {
  id: string;
  /** The case (conversation with one source) this record belongs to: its first record's id. */
  caseId: string;
  /** Its place in the case: 1 for the first testimony, then each follow-up in arrival order. */
  caseSeq: number;
  receivedOn: string;
  language: string | null;
  status: RecordStatus;
  translated: boolean;
  entryKinds: Record<string, number>;
}

export interface RecordDetail extends Omit<RecordSummary, 'entryKinds'> {
  body: Buffer;
  bodySha256: Buffer;
  wrappedKey: Buffer;
}

export interface EntryRow {
  id: string;
  seq: number;
  kind: EntryKind;
  authorId: string | null;
  authorName: string | null;
  createdOn: string;
  body: Buffer;
}

interface SummaryRow {
  id: string;
  case_id: string;
  case_seq: number;
  received_on: string;
  language: string | null;
  status: RecordStatus;
  translated: boolean;
}

const summary = (r: SummaryRow) => ({
  id: r.id,
  caseId: r.case_id,
  caseSeq: Number(r.case_seq),
  receivedOn: r.received_on,
  language: r.language,
  status: r.status,
  translated: r.translated,
});

/** Keyset page on (received_on, id) descending. */
export async function listRecordsFor(
  db: Queryable,
  reviewerId: string,
  f: RecordFilter,
): Promise<RecordSummary[]> {
  const { rows } = await db.query<SummaryRow & { entry_kinds: Record<string, number> }>(
    `SELECT r.id, r.case_id, r.case_seq, to_char(r.received_on, 'YYYY-MM-DD') AS received_on, r.language, r.status, r.translated,
            COALESCE((SELECT jsonb_object_agg(c.kind, c.n)
                        FROM (SELECT e.kind, count(*) AS n FROM record_entries e
                               WHERE e.record_id = r.id GROUP BY e.kind) c), '{}'::jsonb) AS entry_kinds
       FROM records r JOIN record_keys k ON k.record_id = r.id AND k.reviewer_id = $1
      WHERE ($2::text IS NULL OR r.status = $2)
        AND ($3::text IS NULL OR r.language = $3)
        AND ($4::date IS NULL OR r.received_on >= $4)
        AND ($5::date IS NULL OR r.received_on <= $5)
        AND ($6::boolean IS NULL OR r.translated = $6)
        AND ($7::date IS NULL OR (r.received_on, r.id) < ($7::date, $8::uuid))
        AND ($10::uuid IS NULL OR r.case_id = $10)
      ORDER BY r.received_on DESC, r.id DESC
      LIMIT $9`,
    [
      reviewerId,
      f.status ?? null,
      f.language ?? null,
      f.from ?? null,
      f.to ?? null,
      f.translated ?? null,
      f.after?.receivedOn ?? null,
      f.after?.id ?? null,
      f.limit,
      f.caseId ?? null,
    ],
  );
  return rows.map((r) => ({ ...summary(r), entryKinds: r.entry_kinds }));
}

/** The record with the caller's wrapped key; null when absent or not wrapped to them. */
export async function findRecordFor(
  db: Queryable,
  recordId: string,
  reviewerId: string,
): Promise<RecordDetail | null> {
  const { rows } = await db.query<
    SummaryRow & { body: Buffer; body_sha256: Buffer; wrapped_key: Buffer }
  >(
    `SELECT r.id, r.case_id, r.case_seq, to_char(r.received_on, 'YYYY-MM-DD') AS received_on, r.language, r.status, r.translated,
            r.body, r.body_sha256, k.wrapped_key
       FROM records r JOIN record_keys k ON k.record_id = r.id AND k.reviewer_id = $2
      WHERE r.id = $1`,
    [recordId, reviewerId],
  );
  const r = rows[0];
  return r
    ? { ...summary(r), body: r.body, bodySha256: r.body_sha256, wrappedKey: r.wrapped_key }
    : null;
}

/** Bodies and the caller's wrapped keys of several records at once (the desk's inbox). */
export async function findRecordsFor(
  db: Queryable,
  recordIds: readonly string[],
  reviewerId: string,
): Promise<Map<string, { body: Buffer; bodySha256: Buffer; wrappedKey: Buffer }>> {
  const { rows } = await db.query<{
    id: string;
    body: Buffer;
    body_sha256: Buffer;
    wrapped_key: Buffer;
  }>(
    `SELECT r.id, r.body, r.body_sha256, k.wrapped_key
       FROM records r JOIN record_keys k ON k.record_id = r.id AND k.reviewer_id = $2
      WHERE r.id = ANY($1::uuid[])`,
    [recordIds, reviewerId],
  );
  return new Map(
    rows.map((r) => [r.id, { body: r.body, bodySha256: r.body_sha256, wrappedKey: r.wrapped_key }]),
  );
}

/** True when the caller holds a key to the record; FOR SHARE keeps a revocation from racing the change. */
export async function holdsRecord(
  tx: Queryable,
  recordId: string,
  reviewerId: string,
): Promise<boolean> {
  const { rows } = await tx.query(
    `SELECT 1 FROM record_keys WHERE record_id = $1 AND reviewer_id = $2 FOR SHARE`,
    [recordId, reviewerId],
  );
  return rows.length === 1;
}

export async function listEntries(db: Queryable, recordId: string): Promise<EntryRow[]> {
  return (await listEntriesOf(db, [recordId])).get(recordId) ?? [];
}

/** Entries of several records, each list in append order. */
export async function listEntriesOf(
  db: Queryable,
  recordIds: readonly string[],
): Promise<Map<string, EntryRow[]>> {
  const { rows } = await db.query<{
    id: string;
    record_id: string;
    seq: string;
    kind: EntryKind;
    author_id: string | null;
    author_name: string | null;
    created_on: string;
    body: Buffer;
  }>(
    `SELECT e.id, e.record_id, e.seq, e.kind, e.author_id, v.name AS author_name,
            to_char(e.created_on, 'YYYY-MM-DD') AS created_on, e.body
       FROM record_entries e LEFT JOIN reviewers v ON v.id = e.author_id
      WHERE e.record_id = ANY($1::uuid[]) ORDER BY e.seq`,
    [recordIds],
  );
  const out = new Map<string, EntryRow[]>();
  for (const r of rows) {
    const list = out.get(r.record_id) ?? [];
    list.push({
      id: r.id,
      seq: Number(r.seq),
      kind: r.kind,
      authorId: r.author_id,
      authorName: r.author_name,
      createdOn: r.created_on,
      body: r.body,
    });
    out.set(r.record_id, list);
  }
  return out;
}

/** The new entry's seq, or null when an entry with this id already exists. */
export async function appendEntry(
  tx: Queryable,
  e: { id: string; recordId: string; kind: EntryKind; authorId: string; body: Uint8Array },
): Promise<number | null> {
  const { rows } = await tx.query<{ seq: string }>(
    `INSERT INTO record_entries (id, record_id, kind, author_id, body) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO NOTHING RETURNING seq`,
    [e.id, e.recordId, e.kind, e.authorId, Buffer.from(e.body)],
  );
  return rows[0] ? Number(rows[0].seq) : null;
}

export async function setRecordStatus(
  tx: Queryable,
  recordId: string,
  status: RecordStatus,
): Promise<void> {
  await tx.query(`UPDATE records SET status = $2 WHERE id = $1`, [recordId, status]);
}

/** False when the reviewer already holds a key to the record (a grant is idempotent). */
export async function insertGrant(
  tx: Queryable,
  g: { recordId: string; reviewerId: string; wrappedKey: Uint8Array },
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO record_keys (record_id, reviewer_id, wrapped_key) VALUES ($1, $2, $3)
     ON CONFLICT (record_id, reviewer_id) DO NOTHING`,
    [g.recordId, g.reviewerId, Buffer.from(g.wrappedKey)],
  );
  return rowCount === 1;
}

/** The hashed source token of the submission the record came from; null when the source gave none. */
export async function findSourceTokenHash(db: Queryable, recordId: string): Promise<Buffer | null> {
  const { rows } = await db.query<{ source_token_hash: Buffer | null }>(
    `SELECT s.source_token_hash FROM records r JOIN submissions s ON s.id = r.submission_id WHERE r.id = $1`,
    [recordId],
  );
  return rows[0]?.source_token_hash ?? null;
}

/** False when a reply with this id already exists. */
export async function insertReplyToSource(
  tx: Queryable,
  r: { id: string; recordId: string; sourceTokenHash: Uint8Array; sealed: Uint8Array },
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO replies (id, record_id, source_token_hash, direction, sealed) VALUES ($1, $2, $3, 'to-source', $4)
     ON CONFLICT (id) DO NOTHING`,
    [r.id, r.recordId, Buffer.from(r.sourceTokenHash), Buffer.from(r.sealed)],
  );
  return rowCount === 1;
}

export interface Backlog {
  /** Submissions received and not yet stored as records (queued, processing, retrying). */
  pending: number;
  /** Submissions whose processing gave up (an operator looks at the worker's log). */
  failed: number;
  /** Records that exist but whose key is not wrapped to this reviewer. */
  notYours: number;
}

/** Counts only: no id, day or anything else of a record the caller may not read. */
export async function countBacklog(db: Queryable, reviewerId: string): Promise<Backlog> {
  const { rows } = await db.query<{ pending: string; failed: string; not_yours: string }>(
    `SELECT
       (SELECT count(*) FROM submissions WHERE status IN ('received', 'processing')) AS pending,
       (SELECT count(*) FROM submissions WHERE status = 'failed') AS failed,
       (SELECT count(*) FROM records r WHERE NOT EXISTS
          (SELECT 1 FROM record_keys k WHERE k.record_id = r.id AND k.reviewer_id = $1)) AS not_yours`,
    [reviewerId],
  );
  const r = rows[0];
  return {
    pending: Number(r?.pending ?? 0),
    failed: Number(r?.failed ?? 0),
    notYours: Number(r?.not_yours ?? 0),
  };
}
