import type { Pool } from 'pg';
import type { Producer } from '../../core/queue';
import { markAllQueued } from '../../core/repositories/submission.repository';
import { errorFields, type Logger } from '../../core/logger';

// Postgres is the outbox: a submission is committed first, then enqueued by id, then marked.
// A failed or slow enqueue only leaves queued=false for the sweeper; it never fails a request.

export type Enqueuer = Pick<Producer, 'enqueue'>;

/** Where an enqueued id is recorded as queued: at once, or later in a batch. */
export interface QueuedMarker {
  mark(submissionId: string): Promise<void>;
}

export interface OutboxDeps {
  pool: Pool;
  producer: Enqueuer;
  log: Logger;
  /** Bound on one enqueue: a producer still connecting to Redis would otherwise wait. */
  enqueueTimeoutMs?: number;
  /** Defaults to one UPDATE per id; the intake path passes a batching marker. */
  marker?: QueuedMarker;
}

class EnqueueTimeout extends Error {
  readonly code = 'ENQUEUE_TIMEOUT';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EnqueueTimeout('enqueue timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Enqueues process-submission under the submission's job ticket (never its id: see
 * core/queue.ts); true once the job is in Redis (marking may lag). Logs carry no id.
 */
export async function queueSubmission(
  deps: OutboxDeps,
  submission: { id: string; ticket: string },
): Promise<boolean> {
  const pending = deps.producer.enqueue('process-submission', { ticket: submission.ticket });
  pending.catch(() => undefined); // a late failure after the timeout is already accounted for
  try {
    await withTimeout(pending, deps.enqueueTimeoutMs ?? 1500);
  } catch (err) {
    deps.log.warn('submission.enqueue_failed', errorFields(err));
    return false;
  }
  try {
    await (deps.marker ?? immediateMarker(deps.pool)).mark(submission.id);
  } catch (err) {
    deps.log.warn('submission.mark_queued_failed', errorFields(err));
  }
  return true;
}

const immediateMarker = (pool: Pool): QueuedMarker => ({
  mark: (id) => markAllQueued(pool, [id]),
});

/** The intake's enqueue, after the answer: a 202 waits for Postgres only (server/SERVER.md). */
export interface BackgroundEnqueue {
  /** Enqueues, then marks; a failure is logged and leaves queued=false for the sweeper. */
  submit(submission: { id: string; ticket: string }): void;
  /** Sends what is gathered now; resolves once every enqueue so far has settled and is marked. */
  settled(): Promise<void>;
}

/** How long submissions gather before going to Redis as one pipeline (server/SERVER.md). */
export const ENQUEUE_LINGER_MS = 5;

/**
 * No timer per submission: the producer bounds a batch (its deadline) and its backlog
 * (refusing at once), and offline it refuses at once too, so nothing here waits unbounded.
 */
export function createBackgroundEnqueue(deps: {
  producer: Enqueuer;
  marker: QueuedMarker;
  log: Logger;
  lingerMs?: number;
}): BackgroundEnqueue {
  const lingerMs = deps.lingerMs ?? ENQUEUE_LINGER_MS;
  let gathered: Array<{ id: string; ticket: string }> = [];
  let timer: NodeJS.Timeout | undefined;
  let inFlight = 0;
  let waiters: Array<() => void> = [];
  const settle = (): void => {
    if (--inFlight > 0) return;
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };
  const markFailed = (err: unknown): void => {
    deps.log.warn('submission.mark_queued_failed', errorFields(err));
  };
  const enqueueFailed = (err: unknown): void => {
    deps.log.warn('submission.enqueue_failed', errorFields(err));
    settle();
  };

  // Every add made in one turn goes to Redis in one pipeline (core/queue.ts).
  function send(): void {
    clearTimeout(timer);
    timer = undefined;
    const batch = gathered;
    gathered = [];
    for (const { id, ticket } of batch) {
      deps.producer.enqueue('process-submission', { ticket }).then(() => {
        deps.marker.mark(id).catch(markFailed);
        settle();
      }, enqueueFailed);
    }
  }

  return {
    submit(submission) {
      inFlight++;
      gathered.push(submission);
      if (timer) return;
      timer = setTimeout(send, lingerMs);
      timer.unref(); // settled() sends what is left on shutdown
    },
    settled() {
      if (timer) send();
      return inFlight === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
    },
  };
}

export interface BatchedMarker extends QueuedMarker {
  /** Writes every id marked so far; resolves once they are in Postgres (or the write failed). */
  flush(): Promise<void>;
  /** Flushes what is pending; ids marked afterwards are written at once. */
  stop(): Promise<void>;
}

/**
 * queued=true is an operator's flag, not a guarantee (the sweeper re-enqueues by status), so
 * it is written in batches: one UPDATE per intervalMs or per maxBatch ids instead of a second
 * commit, and WAL flush, per request. mark() returns at once; a failed batch is logged only.
 */
export function createBatchedMarker(deps: {
  pool: Pool;
  log: Logger;
  intervalMs?: number;
  maxBatch?: number;
}): BatchedMarker {
  const intervalMs = deps.intervalMs ?? 100;
  const maxBatch = deps.maxBatch ?? 200;
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing = Promise.resolve();
  let stopped = false;

  function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    const ids = pending;
    pending = [];
    // Batches are written one after another, so flush() also waits for those in flight.
    writing = writing.then(async () => {
      if (ids.length === 0) return;
      try {
        await markAllQueued(deps.pool, ids);
      } catch (err) {
        deps.log.warn('submission.mark_queued_failed', { count: ids.length, ...errorFields(err) });
      }
    });
    return writing;
  }

  return {
    flush,
    mark(id) {
      pending.push(id);
      if (stopped || pending.length >= maxBatch) {
        void flush();
      } else if (!timer) {
        // Only armed while ids wait, and unref'd: an idle marker holds no handle open.
        timer = setTimeout(() => void flush(), intervalMs);
        timer.unref();
      }
      return Promise.resolve();
    },
    stop() {
      stopped = true;
      return flush();
    },
  };
}
