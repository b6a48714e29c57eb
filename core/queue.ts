import { Queue, type JobsOptions } from 'bullmq';
import Redis, { type RedisOptions } from 'ioredis';
import type { Logger } from './logger';
import { errorFields } from './logger';

// Queue names, job names and payloads in one place. Payloads carry ids only: job data lives
// in Redis, and Redis must never hold anything about a testimony but its id.

export const SUBMISSIONS_QUEUE = 'submissions';

export interface JobPayloads {
  'process-submission': { submissionId: string };
  'retry-translation': { recordId: string };
}
export type JobName = keyof JobPayloads;
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

/** The job id makes enqueueing idempotent: the same submission is never queued twice. */
export function jobId(name: JobName, payload: JobPayloads[JobName]): string {
  // BullMQ refuses ':' in custom ids (it is its key separator).
  const id = 'submissionId' in payload ? payload.submissionId : payload.recordId;
  return `${name}_${id}`;
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
  close(): Promise<void>;
  queue: Queue;
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
  return {
    queue,
    async enqueue(name, payload) {
      await queue.add(name, payload, {
        ...jobOptions(name, options.attempts, options.backoffMs),
        jobId: jobId(name, payload),
      });
    },
    async trimEvents() {
      await queue.trimEvents(0);
    },
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}
