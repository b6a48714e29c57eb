import { availableParallelism } from 'node:os';
import type { DrainFigures } from './pipeline';

// What the drain's measured CPU costs allow on this machine, as the upload's ceilings do: the
// worker is one JavaScript thread, so its CPU per record bounds one process; and the processes
// that do the work (worker, Postgres, Redis, the server) share the cores, so their CPU per
// record together bounds any number of worker processes. The bench's own poller ("bench") and
// unrelated processes ("other") are left out: they are not Sori's cost.

const CORES = availableParallelism();
const SORI_PROCESSES = ['worker', 'postgres', 'redis', 'server'];

export interface DrainCeiling {
  /** CPU ms per record of each Sori process, and of all of them. */
  workerMs: number;
  totalMs: number;
  /** Records/s the worker processes could reach if their threads never waited. */
  workerBound: number;
  /** Records/s all of Sori's processes could reach on CORES cores, perfectly overlapped. */
  coreCeiling: number;
}

export function drainCeiling(d: DrainFigures): DrainCeiling | null {
  const ms = (name: string): number => ((d.cpu[name] ?? 0) * 1000) / d.count;
  const workerMs = ms('worker');
  const totalMs = SORI_PROCESSES.reduce((sum, name) => sum + ms(name), 0);
  if (workerMs <= 0 || totalMs <= 0) return null;
  return {
    workerMs,
    totalMs,
    workerBound: (d.processes * 1000) / workerMs,
    coreCeiling: (CORES * 1000) / totalMs,
  };
}

const n0 = (x: number): string => Math.round(x).toLocaleString('en-US');

const who = (d: DrainFigures): string =>
  d.processes === 1 ? 'one worker process' : `${d.processes} worker processes`;

/** For the results row: the lower of the two bounds. */
export function drainCeilingFigure(d: DrainFigures): string {
  const c = drainCeiling(d);
  if (!c) return '';
  return `; CPU ceiling ${n0(Math.min(c.workerBound, c.coreCeiling))} records/s (${who(d)} ${n0(c.workerBound)}, ${CORES} cores ${n0(c.coreCeiling)})`;
}

/** For the details: the costs behind the ceiling. */
export function drainCeilingDetail(d: DrainFigures): string | null {
  const c = drainCeiling(d);
  if (!c) return null;
  return (
    `  Ceiling: the worker spends ${c.workerMs.toFixed(2)} CPU ms per record (bound ${n0(c.workerBound)} records/s for ${who(d)}); ` +
    `worker, Postgres, Redis and server together ${c.totalMs.toFixed(2)} ms (${CORES}-core ceiling ${n0(c.coreCeiling)} records/s). ` +
    `What moves it: less CPU per record in the worker (one JavaScript thread), or more worker processes where the cores allow.`
  );
}
