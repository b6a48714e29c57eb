import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { liveMiB, readLiveMemory, type LiveMemory } from './memory-probe-reader';

// Long run: one worker process (TRANSLATOR=none, three reviewers) turns LONG_RECORDS
// submissions into records, fed in steps of a tenth; after each step the worker's RSS is read
// once its records exist, then its live set after a full GC (bench/memory-probe.ts). A leak
// shows as a live set that keeps rising step after step; RSS alone also moves with the heap's
// and malloc's sizing.

export const LONG_RECORDS = Number(process.env.BENCH_LONG_RECORDS ?? 100_000);
const STEPS = 10;
const REVIEWERS = 3;

export interface LongRunFigures {
  records: number;
  seconds: number;
  /** Worker RSS (MiB) after the warm-up, then after each step. */
  rssMiB: number[];
  /** The worker's memory after a full GC, read just after each RSS reading. */
  live: LiveMemory[];
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
  const dir = mkdtempSync(join(tmpdir(), 'sori-bench-long-'));
  const probeFile = join(dir, 'memory.json');
  const snapshots = process.env.BENCH_HEAP_SNAPSHOT_DIR;
  try {
    const keys = drawKeys();
    await publishIntakeKey(schema.pool, keys.intake);
    await enrolReviewers(schema.pool, REVIEWERS);
    server = await startSoriServer(schema.url, prefix);
    worker = startSoriWorker(schema.url, prefix, keys, 'worker', {
      nodeArgs: ['--expose-gc', '-r', './bench/memory-probe.ts'],
      env: {
        BENCH_MEMORY_PROBE: probeFile,
        ...(snapshots ? { BENCH_HEAP_SNAPSHOT_DIR: snapshots } : {}),
      },
    });
    await warmPipeline(schema.pool, server.url, [worker], keys, 500);
    const pid = worker.proc.pid as number;
    const rssMiB = [vmRssMiB(pid)];
    const live = [await readLiveMemory(pid, probeFile)];
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
      live.push(await readLiveMemory(pid, probeFile));
      process.stdout.write(
        `bench: long run ${(i + 1) * step} records, worker RSS ${rssMiB.at(-1)!.toFixed(0)} MiB, ` +
          `live ${liveMiB(live.at(-1)!).toFixed(1)} MiB\n`,
      );
    }
    return { records: step * STEPS, seconds: (nowMs() - t0) / 1000, rssMiB, live, step };
  } finally {
    await worker?.stop();
    await server?.child.stop();
    await obliterate(prefix);
    await schema.drop();
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
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
  const lives = v.live.map(liveMiB);
  const live10k = (growthPerStep(lives) * 10_000) / v.step;
  const signed = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
  return [
    {
      what,
      figure:
        `RSS ${signed(per10k)} MiB per 10k records (least squares, steps 2–${STEPS}), ` +
        `${v.rssMiB[0]!.toFixed(0)} MiB warm → ${v.rssMiB.at(-1)!.toFixed(0)} MiB, max ${Math.max(...v.rssMiB).toFixed(0)} MiB; ` +
        `live set after a full GC ${signed(live10k)} MiB per 10k, ${lives[0]!.toFixed(1)} → ${lives.at(-1)!.toFixed(1)} MiB; ` +
        `${Math.round(v.records / v.seconds).toLocaleString('en-US')} records/s overall`,
      target,
      verdict: per10k < FLAT_MIB_PER_10K ? 'met' : '**not met**',
    },
  ];
}

export function longRunDetails(o: Outcome<LongRunFigures>): string[] {
  if (!o.ok) return [];
  const v = o.value;
  const mib = (x: number): string => (x / (1024 * 1024)).toFixed(1);
  const steps = v.rssMiB.map(
    (r, i) =>
      `${(i * v.step).toLocaleString('en-US')}: ${r.toFixed(1)} ` +
      `(heap ${mib(v.live[i]!.heapUsed)}/${mib(v.live[i]!.heapTotal)}, external ${mib(v.live[i]!.external)}, ` +
      `RSS after GC ${mib(v.live[i]!.rss)})`,
  );
  return [
    `- Long run: ${v.records.toLocaleString('en-US')} records in ${v.seconds.toFixed(0)} s; worker RSS (MiB) after n records, ` +
      `then the worker's heap used/total, external and RSS after a full GC: ${steps.join(', ')}.`,
  ];
}

export const LONG_RUN_METHOD = [
  `- Long run: a fresh server and one worker process (TRANSLATOR=none, three reviewers), 500`,
  `  submissions of warm-up, then ${LONG_RECORDS.toLocaleString('en-US')} (BENCH_LONG_RECORDS) posted in ${STEPS} steps; each step's`,
  "  records are awaited before the next is posted and the worker's VmRSS is read then. Growth",
  '  is the least-squares slope over steps 2 on (the first includes the heap settling). Just after',
  '  each RSS reading the worker (started with --expose-gc and bench/memory-probe.ts) collects',
  '  garbage fully on SIGUSR2 and reports process.memoryUsage(): the live set (heap used + external)',
  '  beside RSS. A leak grows the live set; RSS also moves with V8 heap sizing and malloc arenas.',
  '  The verdict is on RSS; the forced collections make later RSS readings a little lower than an',
  '  unprobed run would see. BENCH_HEAP_SNAPSHOT_DIR=<dir> writes a heap snapshot at each probe.',
];
