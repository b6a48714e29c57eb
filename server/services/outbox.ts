import type { Pool } from 'pg';
import type { Producer } from '../../core/queue';
import { markQueued } from '../../core/repositories/submission.repository';
import { errorFields, type Logger } from '../../core/logger';

// Postgres is the outbox: a submission is committed first, then enqueued by id, then marked.
// A failed or slow enqueue only leaves queued=false for the sweeper; it never fails a request.

export type Enqueuer = Pick<Producer, 'enqueue'>;

export interface OutboxDeps {
  pool: Pool;
  producer: Enqueuer;
  log: Logger;
  /** Bound on one enqueue: a producer still connecting to Redis would otherwise wait. */
  enqueueTimeoutMs?: number;
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

/** Enqueues process-submission for one id; true once the job is in Redis and marked. */
export async function queueSubmission(deps: OutboxDeps, submissionId: string): Promise<boolean> {
  const pending = deps.producer.enqueue('process-submission', { submissionId });
  pending.catch(() => undefined); // a late failure after the timeout is already accounted for
  try {
    await withTimeout(pending, deps.enqueueTimeoutMs ?? 1500);
  } catch (err) {
    deps.log.warn('submission.enqueue_failed', { submissionId, ...errorFields(err) });
    return false;
  }
  try {
    await markQueued(deps.pool, submissionId);
  } catch (err) {
    deps.log.warn('submission.mark_queued_failed', { submissionId, ...errorFields(err) });
  }
  return true;
}
