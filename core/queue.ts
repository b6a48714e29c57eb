import { Queue, type JobsOptions } from 'bullmq';
import Redis, { type RedisOptions } from 'ioredis';
import { z } from 'zod';
import { randomHandle } from '../crypto';
import type { Logger } from './logger';
import { errorFields } from './logger';

// Queue names, job names and payloads in one place. A payload is one opaque, single-use job
// ticket, never a submission's or a record's id: what Redis keeps must point at nothing once
// the work is done (core/QUEUE-AT-REST.md).

export const SUBMISSIONS_QUEUE = 'submissions';

/**
 * 16 random bytes in base64url (22 characters): unguessable, and meaningless once spent. One
 * per submission, so drawn from crypto/'s handle pool rather than a getrandom() each.
 */
export function newJobTicket(): string {
  return randomHandle(16);
}
export const JOB_TICKET = /^[A-Za-z0-9_-]{22}$/;

const ticketPayload = z.object({ ticket: z.string().regex(JOB_TICKET) });

/** Each job's payload schema: the worker parses every job's data with it before use. */
export const JOB_PAYLOAD_SCHEMAS = {
  'process-submission': ticketPayload,
  'retry-translation': ticketPayload,
} as const;

export type JobName = keyof typeof JOB_PAYLOAD_SCHEMAS;
export type JobPayloads = { [N in JobName]: z.infer<(typeof JOB_PAYLOAD_SCHEMAS)[N]> };
export const JOB_NAMES: readonly JobName[] = ['process-submission', 'retry-translation'];

/** Retry policy per job, declared once. */
export function jobOptions(name: JobName, attempts: number, backoffMs: number): JobsOptions {
  const common: JobsOptions = {
    attempts,
    backoff: { type: 'exponential', delay: backoffMs },
    // Nothing is kept once a job ends: a kept job holds its times to the millisecond, and a
    // kept failed job would make the sweeper's re-add a silent no-op (same job id). Postgres
    // holds the outcome (status, failure_code) without a time.
    removeOnComplete: true,
    removeOnFail: true,
  };
  switch (name) {
    case 'process-submission':
      return common;
    case 'retry-translation':
      return { ...common, attempts: Math.max(attempts, 12) };
  }
}

/** The job id makes enqueueing idempotent: the same ticket is never queued twice at once. */
export function jobId(name: JobName, payload: JobPayloads[JobName]): string {
  // BullMQ refuses ':' in custom ids (it is its key separator); base64url has none.
  return `${name}_${payload.ticket}`;
}

/**
 * Redis connections as BullMQ's production guide wants them: workers block forever and retry
 * (maxRetriesPerRequest null); producers fail fast (no offline queue) so an HTTP request is
 * never held hostage by a Redis outage.
 */
export function createRedis(url: string, role: 'worker' | 'producer' | 'probe'): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null }
      : {
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          connectTimeout: 2000,
          retryStrategy: (times) => Math.min(times * 200, 2000),
        };
  const redis = new Redis(url, options);
  redis.on('error', () => undefined); // reported through readiness and job errors instead
  return redis;
}

/**
 * BullMQ's event stream ids are millisecond times next to job ids, which name submissions.
 * The stream is capped at 0 (BullMQ trims approximately) and trimmed exactly by the sweeper.
 */
export const QUEUE_STREAMS = { events: { maxLen: 0 } } as const;

export interface Producer {
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<void>;
  /** Drops every entry of the queue's event stream. */
  trimEvents(): Promise<void>;
  /**
   * Asks Redis to rewrite its append-only file (when AOF is on and no rewrite runs), which
   * drops the history of jobs already gone; false when nothing was started.
   */
  compactHistory(): Promise<boolean>;
  close(): Promise<void>;
  queue: Queue;
}

/** How many adds may wait for a batch before enqueue refuses at once (Redis hung or gone). */
export const MAX_PENDING_ADDS = 10_000;
/** At most this many jobs in one pipeline. */
const MAX_BULK = 500;
/**
 * The next batch stops waiting for one that has not settled by then (a pipeline lost with its
 * connection must not hold every later add back); its callers are told it failed.
 */
const BATCH_DEADLINE_MS = 5_000;

interface PendingAdd {
  job: { name: JobName; data: JobPayloads[JobName]; opts: JobsOptions };
  resolve(): void;
  reject(err: unknown): void;
}

export function createProducer(options: {
  redisUrl: string;
  prefix: string;
  attempts: number;
  backoffMs: number;
  log: Logger;
}): Producer {
  const connection = createRedis(options.redisUrl, 'producer');
  const queue = new Queue(SUBMISSIONS_QUEUE, {
    connection,
    prefix: options.prefix,
    streams: QUEUE_STREAMS,
  });
  queue.on('error', (err) => options.log.warn('queue.error', errorFields(err)));

  // Group enqueue. The intake answers many requests per Postgres batch, and one queue.add each
  // would cost a Redis write and read apiece. Adds are collected until the end of the current
  // turn of the event loop (setImmediate), and while one batch is on its way to Redis, so they
  // go out as one pipeline (Queue.addBulk): an idle producer sends at once, a busy one sends
  // many jobs per round trip. Each caller's promise settles with its own batch, so "enqueued"
  // still means the job is in Redis; a failed batch fails each of its callers (the outbox
  // sweeper is the backstop, and job ids keep a re-add idempotent).
  let pending: PendingAdd[] = [];
  let scheduled = false;
  let sending: Promise<void> | null = null;
  let closed = false;

  function schedule(): void {
    if (scheduled || sending || closed || pending.length === 0) return;
    scheduled = true;
    setImmediate(send);
  }

  function send(): void {
    scheduled = false;
    if (sending || closed || pending.length === 0) return;
    const batch = pending.slice(0, MAX_BULK);
    pending = pending.slice(batch.length);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new EnqueueBacklogError('batch add timed out')),
        BATCH_DEADLINE_MS,
      );
      timer.unref(); // holds no process open on shutdown
    });
    sending = Promise.race([queue.addBulk(batch.map((p) => p.job)), deadline]).then(
      () => batch.forEach((p) => p.resolve()),
      (err: unknown) => batch.forEach((p) => p.reject(err)),
    );
    void sending.finally(() => {
      clearTimeout(timer);
      sending = null;
      schedule();
    });
  }

  return {
    queue,
    enqueue(name, payload) {
      if (closed) return Promise.reject(new EnqueueBacklogError('producer closed'));
      if (pending.length >= MAX_PENDING_ADDS) {
        return Promise.reject(new EnqueueBacklogError('too many adds waiting for Redis'));
      }
      return new Promise<void>((resolve, reject) => {
        const opts = { ...jobOptions(name, options.attempts, options.backoffMs) };
        opts.jobId = jobId(name, payload);
        pending.push({ job: { name, data: payload, opts }, resolve, reject });
        schedule();
      });
    },
    async trimEvents() {
      await queue.trimEvents(0);
    },
    async compactHistory() {
      // The AOF keeps every command until it is rewritten: ended jobs' tickets and millisecond
      // times, in processing order. A rewrite keeps only what exists now. Never asked of a
      // Redis without AOF (a rewrite would write a file where there was none).
      const info = await connection.info('persistence');
      if (!/^aof_enabled:1\r?$/m.test(info) || /^aof_rewrite_in_progress:1\r?$/m.test(info))
        return false;
      await connection.bgrewriteaof();
      return true;
    },
    async close() {
      // By now every request has had its answer (main.ts closes HTTP first), so an add still
      // waiting belongs to a caller that already gave up on it (Redis slow or down): it fails
      // here, and the sweeper will enqueue its submission once Redis is back.
      closed = true;
      const dropped = pending;
      pending = [];
      for (const p of dropped) p.reject(new EnqueueBacklogError('producer closed'));
      await queue.close();
      connection.disconnect();
    },
  };
}

/** enqueue() refused: too many adds already wait for Redis, or the producer is closed. */
export class EnqueueBacklogError extends Error {
  readonly code = 'ENQUEUE_BACKLOG';
}
