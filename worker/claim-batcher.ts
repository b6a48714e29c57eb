import type { Pool } from 'pg';
import {
  claimSubmissionsByTicket,
  type ClaimedSubmission,
} from '../core/repositories/processing.repository';

// Group claims. Every job starts by claiming its submission (ticket → row, marked processing,
// attempt counted, ciphertext read): one statement and one implicit transaction each, which at
// hundreds of jobs a second is a large share of the worker's and Postgres's CPU. The jobs that
// start in the same turn of the event loop, or while a claim is on its way, are claimed in one
// statement instead. An idle worker sends at once; one claim statement is in flight at a time.

/** At most this many tickets in one statement. */
const MAX_CLAIMS = 64;

interface Waiting {
  ticket: string;
  resolve: (claimed: ClaimedSubmission | null) => void;
  reject: (err: unknown) => void;
}

export interface ClaimBatcher {
  /** The submission the ticket names, now claimed; null when there is none to claim. */
  claim(ticket: string): Promise<ClaimedSubmission | null>;
}

const batchers = new WeakMap<Pool, ClaimBatcher>();

/** One batcher per pool (the worker process has one). */
export function claimBatcherFor(db: Pool): ClaimBatcher {
  let batcher = batchers.get(db);
  if (!batcher) batchers.set(db, (batcher = createClaimBatcher(db)));
  return batcher;
}

function createClaimBatcher(db: Pool): ClaimBatcher {
  let waiting: Waiting[] = [];
  let scheduled = false;
  let busy = false;

  const schedule = (): void => {
    if (scheduled || busy || waiting.length === 0) return;
    scheduled = true;
    setImmediate(send);
  };

  const send = (): void => {
    scheduled = false;
    if (busy || waiting.length === 0) return;
    busy = true;
    const batch = waiting.slice(0, MAX_CLAIMS);
    waiting = waiting.slice(batch.length);
    // A ticket twice in one batch (a job redelivered while its twin waits) is claimed once;
    // the second finds nothing, as it would one statement later.
    const tickets = [...new Set(batch.map((w) => w.ticket))];
    void claimSubmissionsByTicket(db, tickets)
      .then(
        (claimed) => {
          for (const w of batch) {
            const c = claimed.get(w.ticket) ?? null;
            claimed.delete(w.ticket);
            w.resolve(c);
          }
        },
        (err: unknown) => batch.forEach((w) => w.reject(err)),
      )
      .finally(() => {
        busy = false;
        schedule();
      });
  };

  return {
    claim: (ticket) =>
      new Promise<ClaimedSubmission | null>((resolve, reject) => {
        waiting.push({ ticket, resolve, reject });
        schedule();
      }),
  };
}
