import { readFileSync } from 'node:fs';
import type { Child } from './children';
import {
  buildEnvelopes,
  createBenchSchema,
  drawKeys,
  enrolReviewers,
  newQueuePrefix,
  obliterate,
  postAll,
  publishIntakeKey,
  testimonyText,
} from './fixtures';
import { startSoriServer, type SoriServer } from './intake';
import { countRecords, startSoriWorker, warmPipeline } from './pipeline';
import type { Outcome, Row } from './report-row';
import { nowMs, waitFor } from './stats';

// Long run: one worker process (TRANSLATOR=none, three reviewers) turns LONG_RECORDS
// submissions into records, fed in steps of a tenth; after each step the worker's RSS is read
// once its records exist. A leak shows as RSS that keeps rising step after step.

export const LONG_RECORDS = Number(process.env.BENCH_LONG_RECORDS ?? 100_000);
const STEPS = 10;
const REVIEWERS = 3;

export interface LongRunFigures {
  records: number;
  seconds: number;
  /** Worker RSS (MiB) after the warm-up, then after each step. */
  rssMiB: number[];
  /** Records per step. */
  step: number;
}

export const vmRssMiB = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
};

export async function benchLongRun(): Promise<LongRunFigures> {
  const schema = await createBenchSchema({ migrate: true });
  const prefix = newQueuePrefix();
  const step = Math.ceil(LONG_RECORDS / STEPS);
  let server: SoriServer | undefined;
  let worker: Child | undefined;
  try {
    const keys = drawKeys();
    await publishIntakeKey(schema.pool, keys.intake);
    await enrolReviewers(schema.pool, REVIEWERS);
    server = await startSoriServer(schema.url, prefix);
    worker = startSoriWorker(schema.url, prefix, keys);
    await warmPipeline(schema.pool, server.url, [worker], keys, 500);
    const pid = worker.proc.pid as number;
    const rssMiB = [vmRssMiB(pid)];
    const text = testimonyText();
    const t0 = nowMs();
    let target = await countRecords(schema.pool);
    for (let i = 0; i < STEPS; i++) {
      // Built per step: 100,000 envelopes at once would be this process's memory, not the worker's.
      await postAll(server.url, buildEnvelopes(keys.intake, step, text), 20);
      target += step;
      const w = worker;
      await waitFor(
        async () => {
          if (w.exited()) throw new Error(`worker exited: ${w.tail().slice(-600)}`);
          return (await countRecords(schema.pool)) >= target;
        },
        `${target} records`,
        600_000,
        50,
      );
      rssMiB.push(vmRssMiB(pid));
      process.stdout.write(
        `bench: long run ${(i + 1) * step} records, worker RSS ${rssMiB.at(-1)!.toFixed(0)} MiB\n`,
      );
    }
    return { records: step * STEPS, seconds: (nowMs() - t0) / 1000, rssMiB, step };
  } finally {
    await worker?.stop();
    await server?.child.stop();
    await obliterate(prefix);
    await schema.drop();
  }
}

// Report lines (bench/report.ts).

/** Least-squares slope of RSS over the steps after the first (the heap still settles then). */
export function growthPerStep(rssMiB: readonly number[]): number {
  const ys = rssMiB.slice(2); // [0] before the run, [1] after the first step
  const n = ys.length;
  if (n < 2) return Number.NaN;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

/** "Flat": after the first step, RSS rises by less than this per 10,000 records. */
export const FLAT_MIB_PER_10K = 1;

export function longRunRows(o: Outcome<LongRunFigures>): Row[] {
  const what = `Worker RSS over ${LONG_RECORDS.toLocaleString('en-US')} records (1 worker process, TRANSLATOR=none, 3 reviewers)`;
  const target = `flat: < ${FLAT_MIB_PER_10K} MiB per 10k records after the first step`;
  if (!o.ok)
    return [
      { what, figure: `not measured: ${o.why.slice(0, 300)}`, target, verdict: 'not measured' },
    ];
  const v = o.value;
  const per10k = (growthPerStep(v.rssMiB) * 10_000) / v.step;
  return [
    {
      what,
      figure:
        `${per10k >= 0 ? '+' : ''}${per10k.toFixed(2)} MiB per 10k records (least squares, steps 2–${STEPS}); ` +
        `RSS ${v.rssMiB[0]!.toFixed(0)} MiB warm → ${v.rssMiB.at(-1)!.toFixed(0)} MiB, max ${Math.max(...v.rssMiB).toFixed(0)} MiB; ` +
        `${Math.round(v.records / v.seconds).toLocaleString('en-US')} records/s overall`,
      target,
      verdict: per10k < FLAT_MIB_PER_10K ? 'met' : '**not met**',
    },
  ];
}

export function longRunDetails(o: Outcome<LongRunFigures>): string[] {
  if (!o.ok) return [];
  const v = o.value;
  const steps = v.rssMiB.map((r, i) => `${(i * v.step).toLocaleString('en-US')}: ${r.toFixed(1)}`);
  return [
    `- Long run: ${v.records.toLocaleString('en-US')} records in ${v.seconds.toFixed(0)} s; worker RSS (MiB) after n records: ${steps.join(', ')}.`,
  ];
}

export const LONG_RUN_METHOD = [
  `- Long run: a fresh server and one worker process (TRANSLATOR=none, three reviewers), 500`,
  `  submissions of warm-up, then ${LONG_RECORDS.toLocaleString('en-US')} (BENCH_LONG_RECORDS) posted in ${STEPS} steps; each step's`,
  "  records are awaited before the next is posted and the worker's VmRSS is read then. Growth",
  '  is the least-squares slope over steps 2 on (the first includes the heap settling).',
];
