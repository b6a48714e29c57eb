import type { Pool } from 'pg';
import { isUuid, withTransaction } from '../../../core/db';
import { AppError, E } from '../../../core/errors';
import { insertAudit, insertAuditForRecords } from '../../../core/repositories/audit.repository';
import { findReviewerById } from '../../../core/repositories/admin.repository';
import {
  appendEntry,
  countBacklog,
  findRecordFor,
  findRecordsFor,
  findSourceTokenHash,
  holdsRecord,
  insertGrant,
  insertReplyToSource,
  listEntries,
  listEntriesOf,
  listRecordsFor,
  setRecordStatus,
  type EntryKind,
  type RecordFilter,
  type RecordStatus,
} from '../../../core/repositories/review.repository';
import { fromBase64, fromUtf8, toBase64, toHex, utf8, type Bytes } from '../../../crypto';
import { recordNotFound } from '../http/schema';
import type { Caller } from '../auth/auth.service';

// What a reviewer does with records. The server only moves ciphertext: it cannot read a body,
// an entry or a reply, nor check that a granted key really opens the record.

export type ListQuery = Omit<RecordFilter, 'after'> & { cursor?: string };

export function createRecordsService(deps: { pool: Pool }) {
  const { pool } = deps;

  async function list(caller: Caller, q: ListQuery & { full?: boolean }) {
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    return withTransaction(pool, async (tx) => {
      const rows = await listRecordsFor(tx, caller.reviewerId, { ...q, after, limit: q.limit + 1 });
      await insertAudit(tx, { reviewerId: caller.reviewerId, action: 'record.list' });
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      const nextCursor =
        rows.length > q.limit && last ? encodeCursor(last.receivedOn, last.id) : null;
      if (!q.full) return { records: page, nextCursor };
      // include=full: each record as GET /v1/records/:id answers it, one round trip per page
      // instead of one per record, and each still audited as a read.
      const ids = page.map((r) => r.id);
      const bodies = await findRecordsFor(tx, ids, caller.reviewerId);
      const entries = await listEntriesOf(tx, ids);
      await insertAuditForRecords(tx, {
        reviewerId: caller.reviewerId,
        action: 'record.read',
        recordIds: ids,
      });
      // A record removed (retention, revocation) between the two reads is left out, not a 500.
      const records = page.flatMap((r) => {
        const b = bodies.get(r.id);
        if (!b) return [];
        return [
          {
            ...r,
            body: toBase64(b.body),
            bodySha256: toHex(b.bodySha256),
            wrappedKey: toBase64(b.wrappedKey),
            entries: (entries.get(r.id) ?? []).map((e) => ({ ...e, body: toBase64(e.body) })),
          },
        ];
      });
      return { records, nextCursor };
    });
  }

  async function read(caller: Caller, recordId: string) {
    return withTransaction(pool, async (tx) => {
      const r = await findRecordFor(tx, recordId, caller.reviewerId);
      if (!r) throw recordNotFound();
      const entries = await listEntries(tx, recordId);
      // Written before the answer leaves: no read goes unaudited.
      await insertAudit(tx, { reviewerId: caller.reviewerId, action: 'record.read', recordId });
      return {
        id: r.id,
        caseId: r.caseId,
        caseSeq: r.caseSeq,
        receivedOn: r.receivedOn,
        language: r.language,
        status: r.status,
        translated: r.translated,
        body: toBase64(r.body),
        bodySha256: toHex(r.bodySha256),
        wrappedKey: toBase64(r.wrappedKey),
        entries: entries.map((e) => ({ ...e, body: toBase64(e.body) })),
      };
    });
  }

  async function addEntry(
    caller: Caller,
    recordId: string,
    e: {
      id: string;
      kind: Exclude<EntryKind, 'translation' | 'reply' | 'file'>;
      body: Bytes;
      status?: RecordStatus;
    },
  ) {
    return withTransaction(pool, async (tx) => {
      if (!(await holdsRecord(tx, recordId, caller.reviewerId))) throw recordNotFound();
      const seq = await appendEntry(tx, {
        id: e.id,
        recordId,
        kind: e.kind,
        authorId: caller.reviewerId,
        body: e.body,
      });
      if (seq === null) throw new AppError(E.ENTRY_EXISTS);
      if (e.status) await setRecordStatus(tx, recordId, e.status);
      await insertAudit(tx, { reviewerId: caller.reviewerId, action: 'entry.add', recordId });
      return { id: e.id, seq };
    });
  }

  /** 'created' for a new grant, 'exists' when the reviewer already held the record. */
  async function grant(
    caller: Caller,
    recordId: string,
    g: { reviewerId: string; wrappedKey: Bytes },
  ) {
    return withTransaction(pool, async (tx) => {
      if (!(await holdsRecord(tx, recordId, caller.reviewerId))) throw recordNotFound();
      // FOR SHARE: a revocation of the target waits for this grant, then deletes it.
      const target = await findReviewerById(tx, g.reviewerId, 'share');
      if (!target) throw new AppError(E.REVIEWER_NOT_FOUND);
      if (target.revokedOn)
        throw new AppError(E.REVIEWER_REVOKED_CONFLICT, 'Reviewer has been revoked');
      const created = await insertGrant(tx, {
        recordId,
        reviewerId: g.reviewerId,
        wrappedKey: g.wrappedKey,
      });
      if (created)
        await insertAudit(tx, { reviewerId: caller.reviewerId, action: 'grant.add', recordId });
      return created ? ('created' as const) : ('exists' as const);
    });
  }

  /** The sealed reply for the source and its encrypted copy for reviewers, stored together. */
  async function reply(
    caller: Caller,
    recordId: string,
    r: { id: string; toSource: Bytes; entry: Bytes },
  ) {
    return withTransaction(pool, async (tx) => {
      if (!(await holdsRecord(tx, recordId, caller.reviewerId))) throw recordNotFound();
      const tokenHash = await findSourceTokenHash(tx, recordId);
      if (!tokenHash) throw new AppError(E.NO_SOURCE_CHANNEL);
      const inserted = await insertReplyToSource(tx, {
        id: r.id,
        recordId,
        sourceTokenHash: tokenHash,
        sealed: r.toSource,
      });
      const seq = inserted
        ? await appendEntry(tx, {
            id: r.id,
            recordId,
            kind: 'reply',
            authorId: caller.reviewerId,
            body: r.entry,
          })
        : null;
      if (seq === null) throw new AppError(E.REPLY_EXISTS);
      await insertAudit(tx, { reviewerId: caller.reviewerId, action: 'reply.add', recordId });
      return { id: r.id, seq };
    });
  }

  /**
   * What waits that the caller cannot list: `sori list` explains an empty list with it. Counts
   * go to admins only: polled, the pending count tells when testimony arrives, and a count of
   * records kept from a reviewer says how many others exist. A reviewer learns only whether
   * there are records they cannot read (so they know to ask for a grant).
   */
  async function backlog(caller: Caller) {
    const counts = await countBacklog(pool, caller.reviewerId);
    return caller.role === 'admin' ? counts : { notYours: counts.notYours > 0 };
  }

  return { list, read, addEntry, grant, reply, backlog };
}

export type RecordsService = ReturnType<typeof createRecordsService>;

// The cursor is opaque to clients: base64url of {"d": day, "i": id} of the last row returned.
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day (Postgres would refuse 2024-02-30 with an error, not a 4xx). */
function isDay(v: unknown): v is string {
  return (
    typeof v === 'string' &&
    DAY.test(v) &&
    !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
    new Date(`${v}T00:00:00Z`).toISOString().startsWith(v)
  );
}

function encodeCursor(receivedOn: string, id: string): string {
  return toBase64(utf8(JSON.stringify({ d: receivedOn, i: id })));
}

function decodeCursor(cursor: string): { receivedOn: string; id: string } {
  try {
    const v = JSON.parse(fromUtf8(fromBase64(cursor))) as { d?: unknown; i?: unknown };
    if (isDay(v.d) && typeof v.i === 'string' && isUuid(v.i)) {
      return { receivedOn: v.d, id: v.i };
    }
  } catch {
    // falls through to the refusal below: a bad cursor is the client's error, with its code
  }
  throw new AppError(E.BAD_CURSOR);
}
