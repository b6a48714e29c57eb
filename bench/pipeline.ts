import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Pool } from 'pg';
import { createRedis, jobId, jobOptions, newJobTicket, SUBMISSIONS_QUEUE } from '../core/queue';
import { ROOT, extraEnv, startChild, type Child } from './children';
import { cpuSnapshot, cpuUse, type CpuUse } from './cpu';
import { BENCH_REDIS_URL, DRAIN_COUNT } from './env';
import {
  buildEnvelopes,
  newQueuePrefix,
  obliterate,
  postAll,
  testimonyText,
  type SoriKeys,
} from './fixtures';
import type { Outcome } from './report-row';
import { nowMs, waitFor } from './stats';

// Worker throughput, TRANSLATOR=none: K committed submissions wait in a paused queue, then the
// queue is resumed and the clock runs until K records exist. The reference is a no-op BullMQ
// worker draining K jobs from the same Redis at the same concurrency.

// Workers scale out on the queue: the drain is measured with one worker process, then with
// BENCH_WORKERS of them (default: one per core), and both figures are reported.
export const WORKER_PROCESSES = Number(process.env.BENCH_WORKERS ?? availableParallelism());
// Jobs in flight per worker process (Sori's and the no-op reference's): Sori's default
// WORKER_CONCURRENCY. The jobs ready at once share one commit (worker/record-store.ts), so
// more in flight means fewer disk flushes per record.
export const WORKER_CONCURRENCY = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 64);

export interface DrainFigures {
  recordsPerSec: number;
  noopJobsPerSec: number | null;
  count: number;
  seconds: number;
  concurrency: number;
  /** Worker processes draining the queue. */
  processes: number;
  /** CPU seconds per component during the drain (all worker processes as "worker"). */
  cpu: CpuUse;
  /**
   * The worker processes' main threads over the drain, summed: seconds on a core, and seconds
   * ready to run but waiting for one (other processes had the cores); Linux schedstat.
   */
  mainThread?: { runSeconds: number; queuedSeconds: number };
  /** CPU ms per record of the public-key work alone (drain-ceiling.ts), when measured. */
  publicKeyMs?: number;
  /** The same drain with WORKER_PROCESSES processes, when more than one. */
  scaled?: Outcome<DrainFigures>;
}

/**
 * `name` "worker" is the one BENCH_CPU_PROF=worker profiles; extra processes are worker-2...
 * `probe` adds node arguments and env (the long run's memory probe).
 */
export function startSoriWorker(
  databaseUrl: string,
  prefix: string,
  keys: SoriKeys,
  name = 'worker',
  probe: { nodeArgs: readonly string[]; env: Record<string, string> } = { nodeArgs: [], env: {} },
): Child {
  return startChild(
    name,
    'worker/main.ts',
    {
      DATABASE_URL: databaseUrl,
      REDIS_URL: BENCH_REDIS_URL,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'warn',
      TRANSLATOR: 'none',
      WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
      INTAKE_SECRET_KEY: keys.intakeEnv,
      WORKER_KEY: keys.workerEnv,
      ...probe.env,
      // BENCH_ENV_WORKER applies to every worker process, not only the first.
      ...extraEnv('worker'),
    },
    probe.nodeArgs,
  );
}

export async function countRecords(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM records');
  return Number(rows[0]?.n ?? 0);
}

export function queueFor(prefix: string): Queue {
  const queue = new Queue(SUBMISSIONS_QUEUE, {
    connection: createRedis(BENCH_REDIS_URL, 'producer'),
    prefix,
  });
  queue.on('error', () => undefined);
  return queue;
}

/** Warm-up: `warm` submissions through server and worker, until their records exist. */
export async function warmPipeline(
  pool: Pool,
  serverUrl: string,
  workers: readonly Child[],
  keys: SoriKeys,
  warm: number,
): Promise<void> {
  const before = await countRecords(pool);
  await postAll(serverUrl, buildEnvelopes(keys.intake, warm, testimonyText()), 10);
  await waitFor(
    async () => {
      assertAlive(workers);
      return (await countRecords(pool)) >= before + warm;
    },
    'warm-up records',
    60_000,
  );
}

export async function benchDrain(
  pool: Pool,
  serverUrl: string,
  prefix: string,
  workers: readonly Child[],
  keys: SoriKeys,
  serverPid?: number,
): Promise<DrainFigures> {
  const queue = queueFor(prefix);
  try {
    const envelopes = buildEnvelopes(keys.intake, DRAIN_COUNT, testimonyText());
    const before = await countRecords(pool);
    await queue.pause();
    await postAll(serverUrl, envelopes, 20);
    const cpuBefore = cpuSnapshot();
    const schedBefore = schedStats(workers);
    const t0 = nowMs();
    await queue.resume();
    await waitFor(
      async () => {
        assertAlive(workers);
        return (await countRecords(pool)) >= before + DRAIN_COUNT;
      },
      `${DRAIN_COUNT} records`,
      180_000,
      20,
    );
    const seconds = (nowMs() - t0) / 1000;
    const schedAfter = schedStats(workers);
    const named = Object.fromEntries(workers.map((w) => [w.name, w.proc.pid]));
    const cpu = mergeWorkers(
      cpuUse(cpuBefore, cpuSnapshot(), { ...named, server: serverPid, bench: process.pid }),
      workers,
    );
    return {
      recordsPerSec: DRAIN_COUNT / seconds,
      noopJobsPerSec: null,
      count: DRAIN_COUNT,
      seconds,
      concurrency: WORKER_CONCURRENCY,
      processes: workers.length,
      cpu,
      ...(schedBefore && schedAfter
        ? {
            mainThread: {
              runSeconds: schedAfter.run - schedBefore.run,
              queuedSeconds: schedAfter.queued - schedBefore.queued,
            },
          }
        : {}),
    };
  } finally {
    await queue.close();
  }
}

/** Main-thread seconds on a core and waiting for one, summed over the workers; null off Linux. */
function schedStats(workers: readonly Child[]): { run: number; queued: number } | null {
  try {
    let run = 0;
    let queued = 0;
    for (const w of workers) {
      const [onCpu, waiting] = readFileSync(`/proc/${w.proc.pid}/schedstat`, 'utf8').split(' ');
      run += Number(onCpu) / 1e9;
      queued += Number(waiting) / 1e9;
    }
    return { run, queued };
  } catch {
    return null;
  }
}

function assertAlive(workers: readonly Child[]): void {
  const dead = workers.find((w) => w.exited());
  if (dead) throw new Error(`${dead.name} exited: ${dead.tail().slice(-600)}`);
}

/** One "worker" figure for all worker processes. */
function mergeWorkers(use: CpuUse, workers: readonly Child[]): CpuUse {
  const merged: CpuUse = {};
  for (const [name, seconds] of Object.entries(use)) {
    const key = workers.some((w) => w.name === name) ? 'worker' : name;
    merged[key] = (merged[key] ?? 0) + seconds;
  }
  return merged;
}

/** The no-op worker's jobs/s over DRAIN_COUNT jobs with Sori's job options, own prefix. */
export async function benchNoopWorker(): Promise<number> {
  const prefix = newQueuePrefix();
  const queue = queueFor(prefix);
  const child = fork(join(ROOT, 'bench', 'noop-worker.child.ts'), [], {
    cwd: ROOT,
    execArgv: ['-r', '@swc-node/register'],
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      REDIS_URL: BENCH_REDIS_URL,
      QUEUE_PREFIX: prefix,
      WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
      EXPECT: String(DRAIN_COUNT),
    },
  });
  const message = (key: 'ready' | 'done'): Promise<void> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>): void => {
        if (m[key] === undefined) return;
        child.off('message', onMessage);
        resolve();
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`no-op worker exited (${code})`)));
    });
  try {
    await queue.pause();
    await queue.addBulk(
      Array.from({ length: DRAIN_COUNT }, () => {
        const payload = { ticket: newJobTicket() };
        return {
          name: 'process-submission',
          data: payload,
          opts: {
            ...jobOptions('process-submission', 8, 2000),
            jobId: jobId('process-submission', payload),
          },
        };
      }),
    );
    const ready = message('ready');
    await ready;
    const done = message('done');
    const t0 = nowMs();
    await queue.resume();
    await done;
    return DRAIN_COUNT / ((nowMs() - t0) / 1000);
  } finally {
    child.removeAllListeners('exit');
    child.kill('SIGTERM');
    await queue.close();
    await obliterate(prefix);
  }
}
