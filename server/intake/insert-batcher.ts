import type { Pool } from 'pg';
import {
  insertSubmissionForAcceptingKey,
  insertSubmissionsForAcceptingKeys,
  type NewSubmission,
} from '../../core/repositories/submission.repository';

// Group commit for the intake hot path: rows that arrive while a batch is written go in the
// next one, and every caller learns whether its own row committed before it answers (a 202
// means committed). server/SERVER.md.

const MAX_BATCH = 64;
/** Rows that must be waiting before a batch starts beside one already being written... */
const MIN_EXTRA_BATCH = 8;
/** ...or how long the first of fewer may wait: a slow commit must not hold a lone row back. */
const EXTRA_AFTER_MS = 5;

interface Pending {
  row: NewSubmission;
  resolve(inserted: boolean): void;
  reject(err: unknown): void;
}

export interface InsertBatcher {
  /** true when this row was inserted; false when its key is not accepting or its id exists. */
  insert(row: NewSubmission): Promise<boolean>;
}

export function createInsertBatcher(
  pool: Pool,
  options: { maxWriters?: number } = {},
): InsertBatcher {
  let queue: Pending[] = [];
  let writing = 0;
  // One batch in flight while commits are quick; another beside it only once enough rows wait
  // (slow commits), up to maxWriters. server/SERVER.md, "Group commit".
  const maxWriters = Math.max(1, options.maxWriters ?? 2);

  async function write(batch: Pending[]): Promise<void> {
    try {
      if (batch.length === 1) {
        const only = batch[0]!;
        only.resolve(await insertSubmissionForAcceptingKey(pool, only.row));
        return;
      }
      const inserted = await insertSubmissionsForAcceptingKeys(
        pool,
        batch.map((p) => p.row),
      );
      for (const p of batch) p.resolve(inserted.has(p.row.id));
    } catch {
      // One bad row must not fail its neighbours: retry each on its own, with its own error.
      await Promise.all(
        batch.map((p) => insertSubmissionForAcceptingKey(pool, p.row).then(p.resolve, p.reject)),
      );
    }
  }

  // Ids in a batch being written. A repeat of one waits until that batch has committed, so it
  // then meets the first as an existing row; were both in flight on two connections, either
  // could win.
  const inFlight = new Set<string>();
  let extraTimer: NodeJS.Timeout | undefined;

  function pump(waited = false): void {
    while (
      writing < maxWriters &&
      queue.length > 0 &&
      (writing === 0 || waited || queue.length >= MIN_EXTRA_BATCH)
    ) {
      // One row per id in a batch, so "inserted" can only mean this caller's row.
      const ids = new Set<string>();
      const batch: Pending[] = [];
      const rest: Pending[] = [];
      for (const p of queue) {
        const id = p.row.id;
        if (batch.length < MAX_BATCH && !ids.has(id) && !inFlight.has(id)) {
          ids.add(id);
          batch.push(p);
        } else rest.push(p);
      }
      queue = rest;
      if (batch.length === 0) return; // only repeats of ids in flight: pumped again when done
      for (const id of ids) inFlight.add(id);
      writing++;
      void write(batch).finally(() => {
        for (const id of ids) inFlight.delete(id);
        writing--;
        pump();
      });
    }
    if (queue.length > 0 && writing < maxWriters && !extraTimer) {
      extraTimer = setTimeout(() => {
        extraTimer = undefined;
        pump(true);
      }, EXTRA_AFTER_MS);
      extraTimer.unref();
    }
  }

  return {
    insert(row) {
      return new Promise<boolean>((resolve, reject) => {
        queue.push({ row, resolve, reject });
        pump();
      });
    },
  };
}
