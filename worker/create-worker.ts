import { Queue, Worker, type Job } from 'bullmq';
import type { Pool } from 'pg';
import type { Config } from '../core/config';
import { errorFields, type Logger } from '../core/logger';
import {
  SUBMISSIONS_QUEUE,
  createRedis,
  QUEUE_STREAMS,
  jobId,
  jobOptions,
  JOB_PAYLOAD_SCHEMAS,
  type JobName,
  type JobPayloads,
} from '../core/queue';
import { listPendingTranslationTickets } from '../core/repositories/record.repository';
import type { Translator } from './translate';
import { fileDepsFromConfig, type FilesConfig } from './attachments/file-deps';
import type { Sandbox } from './jail/sandbox.types';
import type { WorkerKeys } from './keys';
import { errorCode, PermanentJobFailure, toJobError } from './job-errors';
import type { JobContext, JobHandler, JobOutcome } from './jobs/job-context';
import { JOB_HANDLERS, assertHandlers, isJobName } from './jobs/job-handlers';

// The BullMQ side of the worker: one Worker on the submissions queue, one Queue for follow-up
// jobs, listeners that log ids and codes only, and a close() that lets the running job finish.

export type WorkerConfig = Pick<
  Config,
  | 'REDIS_URL'
  | 'QUEUE_PREFIX'
  | 'WORKER_CONCURRENCY'
  | 'WORKER_LOCK_DURATION_MS'
  | 'WORKER_STALLED_INTERVAL_MS'
  | 'JOB_ATTEMPTS'
  | 'JOB_BACKOFF_MS'
  | 'TRANSLATE_RETRY_MS'
> &
  FilesConfig;

export interface WorkerDeps {
  config: WorkerConfig;
  db: Pool;
  log: Logger;
  keys: WorkerKeys;
  translator: Translator | null;
  /** Replaces the configured sandbox (tests: the escape probe behind the real jail). */
  sandbox?: Sandbox;
}

export interface SoriWorker {
  worker: Worker;
  queue: Queue;
  /** Resolves once connected; then re-enqueues translations owed from before a restart. */
  start(): Promise<void>;
  /** Stops taking jobs, waits for running ones, closes the Redis connections. */
  close(): Promise<void>;
}

function dispatch<N extends JobName>(ctx: JobContext, name: N, data: unknown): Promise<JobOutcome> {
  const parsed = JOB_PAYLOAD_SCHEMAS[name].safeParse(data);
  if (!parsed.success) throw new PermanentJobFailure('JOB_DATA_INVALID');
  return (JOB_HANDLERS[name] as JobHandler<N>)(ctx, parsed.data);
}

export function createWorker(deps: WorkerDeps): SoriWorker {
  assertHandlers(JOB_HANDLERS, JOB_PAYLOAD_SCHEMAS);
  const { config, log } = deps;
  // Before any connection: a bad CUSTODIAN_PUBLIC_KEY stops the worker here.
  const files = fileDepsFromConfig(config, deps.db, deps.sandbox);
  // Enqueueing follow-ups is a producer's job: fail fast while Redis is down (the sweeper and
  // the start-up scan bring owed work back) rather than hold a job open.
  const queueConnection = createRedis(config.REDIS_URL, 'producer');
  const workerConnection = createRedis(config.REDIS_URL, 'worker');
  const queue = new Queue(SUBMISSIONS_QUEUE, {
    connection: queueConnection,
    prefix: config.QUEUE_PREFIX,
    streams: QUEUE_STREAMS,
  });

  const ctx: JobContext = {
    db: deps.db,
    log,
    keys: deps.keys,
    translator: deps.translator,
    translateRetryMs: config.TRANSLATE_RETRY_MS,
    files,
    async enqueue(name, payload, delayMs) {
      await queue.add(name, payload, {
        ...jobOptions(name, config.JOB_ATTEMPTS, config.JOB_BACKOFF_MS),
        jobId: jobId(name, payload as JobPayloads[JobName]),
        ...(delayMs ? { delay: delayMs } : {}),
      });
    },
  };

  const processor = async (job: Job): Promise<JobOutcome> => {
    try {
      if (!isJobName(job.name)) throw new PermanentJobFailure('UNKNOWN_JOB');
      return await dispatch(ctx, job.name, job.data);
    } catch (err) {
      // Class and code only; the error itself never reaches Redis or the log (see job-errors).
      log.debug('job.error', { jobId: job.id ?? null, jobName: job.name, ...errorFields(err) });
      throw toJobError(err);
    }
  };

  const worker = new Worker(SUBMISSIONS_QUEUE, processor, {
    connection: workerConnection,
    prefix: config.QUEUE_PREFIX,
    concurrency: config.WORKER_CONCURRENCY,
    autorun: false,
    // A job whose worker died (SIGKILL, OOM) loses its lock and is moved back to wait; one
    // more stall than the default before it is failed, since a crash can hit twice.
    lockDuration: config.WORKER_LOCK_DURATION_MS,
    stalledInterval: config.WORKER_STALLED_INTERVAL_MS,
    maxStalledCount: 2,
  });

  queue.on('error', (err) => log.warn('queue.error', errorFields(err)));
  worker.on('error', (err) => log.warn('worker.error', errorFields(err)));
  // Per-job lines are debug only: each would put a precise time at rest next to one job, and
  // Postgres already says what became of every submission (status, failure_code), by day.
  worker.on('stalled', (id) => log.debug('job.stalled', { jobId: id }));
  worker.on('completed', (job, outcome: JobOutcome) =>
    log.debug('job.completed', {
      jobId: job.id ?? null,
      jobName: job.name,
      status: outcome,
      attempt: job.attemptsMade,
    }),
  );
  worker.on('failed', (job, err) =>
    log.debug('job.failed', {
      jobId: job?.id ?? null,
      jobName: job?.name ?? null,
      attempt: job?.attemptsMade ?? null,
      code: errorCode(err),
      status:
        err instanceof PermanentJobFailure
          ? 'permanent'
          : job && job.attemptsMade >= (job.opts.attempts ?? 1)
            ? 'exhausted'
            : 'retrying',
    }),
  );

  let owedTimer: NodeJS.Timeout | undefined;
  async function requeueOwed(): Promise<void> {
    for (const ticket of await listPendingTranslationTickets(deps.db)) {
      await ctx.enqueue('retry-translation', { ticket }, config.TRANSLATE_RETRY_MS);
    }
  }

  return {
    worker,
    queue,
    async start() {
      // Connected first: BullMQ's close() drops a connection's error forwarding, so closing one
      // still connecting (after a failed start) left its late error unhandled.
      await Promise.all([worker.waitUntilReady(), queue.waitUntilReady()]);
      // Before any job: a worker that cannot make a jail must not parse files itself.
      await files.sandbox.start();
      if (!files.sandbox.jailed)
        log.warn('worker.sandbox_disabled', { code: 'SANITISED_WITHOUT_SANDBOX' });
      void worker.run().catch((err) => log.error('worker.run_failed', errorFields(err)));
      // Owed translations whose job was lost (Redis outage after commit) or whose job spent its
      // BullMQ attempts before MAX_TRANSLATION_ATTEMPTS are queued again, now and periodically;
      // the job id per ticket makes a re-queue of a live job a no-op.
      if (deps.translator) {
        await requeueOwed();
        owedTimer = setInterval(() => {
          requeueOwed().catch((err: unknown) =>
            log.warn('worker.requeue_owed_failed', { code: errorCode(err) }),
          );
        }, config.TRANSLATE_RETRY_MS);
        owedTimer.unref();
      }
    },
    async close() {
      clearInterval(owedTimer);
      await worker.close();
      await files.sandbox.close();
      await queue.close();
      workerConnection.disconnect();
      queueConnection.disconnect();
    },
  };
}
