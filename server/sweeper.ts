import type { Pool } from 'pg';
import { errorFields, type Logger } from '../core/logger';
import { listPendingSubmissions } from '../core/repositories/submission.repository';
import { queueSubmission, type Enqueuer } from './intake/outbox';

// The outbox backstop: Postgres, not Redis, is the source of truth. Every interval, every
// submission not yet processed is enqueued again under its job ticket; the job id per ticket
// makes this a no-op for a job that still exists, and brings back one that Redis lost.

export interface SweeperDeps {
  pool: Pool;
  producer: Enqueuer;
  log: Logger;
  intervalMs: number;
  batchSize?: number;
  /** Drops the queue's event stream (millisecond times beside job tickets). */
  trimEvents?: () => Promise<void>;
  /** Rewrites Redis's AOF so ended jobs' history leaves the disk (core/QUEUE-AT-REST.md). */
  compactHistory?: () => Promise<unknown>;
  /** How often compactHistory runs at most (default hourly). */
  compactEveryMs?: number;
  now?: () => number;
  /** Deletes expired, unclaimed uploads (server/uploads createUploadCleanup, self-throttled). */
  cleanupUploads?: () => Promise<unknown>;
}

export interface Sweeper {
  start(): void;
  stop(): Promise<void>;
  /** One full pass; returns how many submissions were enqueued. */
  sweepOnce(): Promise<number>;
}

export function createSweeper(deps: SweeperDeps): Sweeper {
  const batchSize = deps.batchSize ?? 100;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let started = false;
  let halted = false; // set by stop(): a pass in progress ends after its current row
  const now = deps.now ?? Date.now;
  const compactEveryMs = deps.compactEveryMs ?? 60 * 60 * 1000;
  // The first pass compacts too: a server restarted more often than hourly still rewrites.
  let compactedAt = Number.NEGATIVE_INFINITY;

  async function sweep(): Promise<number> {
    try {
      return await sweepPending();
    } finally {
      await deps.trimEvents?.().catch(() => undefined); // Redis down: the next pass trims
      if (deps.compactHistory && now() - compactedAt >= compactEveryMs) {
        compactedAt = now();
        await deps.compactHistory().catch(() => undefined); // a rewrite already running, say
      }
      await deps.cleanupUploads?.().catch(() => undefined); // Postgres down: the next pass
    }
  }

  async function sweepPending(): Promise<number> {
    let enqueued = 0;
    let after: string | null = null;
    while (!halted) {
      const rows = await listPendingSubmissions(deps.pool, after, batchSize);
      for (const row of rows) {
        // Redis is down: stop this pass rather than time out once per row.
        if (halted || !(await queueSubmission(deps, row))) return enqueued;
        enqueued++;
      }
      if (rows.length < batchSize) break;
      after = rows[rows.length - 1]?.id ?? null;
    }
    return enqueued;
  }

  function sweepOnce(): Promise<number> {
    // Never two passes at once: a slow pass is joined, not doubled.
    running ??= sweep().finally(() => (running = undefined));
    return running;
  }

  function schedule(): void {
    if (halted) return;
    timer = setTimeout(() => {
      sweepOnce()
        .then((count) => count > 0 && deps.log.debug('sweeper.enqueued', { count }))
        .catch((err: unknown) => deps.log.warn('sweeper.failed', errorFields(err)))
        .finally(schedule);
    }, deps.intervalMs);
    timer.unref();
  }

  return {
    sweepOnce,
    start() {
      if (started) return;
      started = true;
      halted = false;
      schedule();
    },
    async stop() {
      halted = true;
      started = false;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
