import type { QueryResult } from 'pg';
import { uuidLiteral, type Tx } from '../db';
import { CUSTODY_LOCK_AND_HEAD_SQL, custodyHeadFrom, type CustodyHead } from './custody.repository';
import {
  ACTIVE_REVIEWER_ROWS_SQL,
  reviewerRowFrom,
  type ReviewerDbRow,
  type ReviewerKey,
  type ReviewerRow,
} from './reviewer.repository';

// The opening of the worker's record transaction in one round trip: a multi-statement simple
// query, so the submission ids are inlined after a strict UUID check. Lock order: submissions,
// reviewers, then the custody lock (core/CORE.md).

export interface OpenedRecordBatch {
  /** Ids of the submissions still open (received or processing), now locked FOR UPDATE. */
  open: Set<string>;
  /** Every non-revoked reviewer `believe` kept, admins included, in id order, locked FOR SHARE. */
  reviewers: ReviewerKey[];
  /** The admins among them (a held-back original's key goes to these). */
  admins: ReviewerKey[];
  /** The chain head, read under the custody lock the transaction now holds to COMMIT. */
  head: CustodyHead;
}

type Results = [
  QueryResult, // BEGIN
  QueryResult<{ id: string; status: string }>,
  QueryResult<ReviewerDbRow>,
  QueryResult, // pg_advisory_xact_lock
  QueryResult<{ seq: string; entry_hash: Buffer }>,
];

/**
 * Sends BEGIN and takes every lock the record batch needs. The transaction stays open on
 * `client` whatever happens: the caller commits, or rolls back on any error.
 */
export async function beginRecordBatch(
  client: Tx,
  submissionIds: readonly string[],
  believe: (rows: readonly ReviewerRow[]) => ReviewerRow[] = (rows) => [...rows],
): Promise<OpenedRecordBatch> {
  if (submissionIds.length === 0) throw new Error('beginRecordBatch: no submission ids');
  const ids = submissionIds.map((id) => uuidLiteral(id, 'beginRecordBatch'));
  // Without values, pg sends a simple query and answers one result per statement. Each
  // statement takes its own snapshot, so the head is read after the lock wait (see
  // custody.repository). A duplicate job for a submission waits on its row lock here, then
  // finds it done.
  const results = (await client.query(
    `BEGIN;
     SELECT id, status FROM submissions WHERE id IN (${ids.join(',')}) ORDER BY id FOR UPDATE;
     ${ACTIVE_REVIEWER_ROWS_SQL} FOR SHARE;
     ${CUSTODY_LOCK_AND_HEAD_SQL}`,
  )) as unknown as Results;
  const [, submissions, reviewerRows, , headResult] = results;
  const rows = believe(reviewerRows.rows.map(reviewerRowFrom));
  const key = (r: ReviewerRow): ReviewerKey => ({ id: r.id, boxPublicKey: r.boxPublicKey });
  return {
    open: new Set(
      submissions.rows
        .filter((r) => r.status === 'received' || r.status === 'processing')
        .map((r) => r.id),
    ),
    reviewers: rows.map(key),
    admins: rows.filter((r) => r.role === 'admin').map(key),
    head: custodyHeadFrom(headResult),
  };
}
