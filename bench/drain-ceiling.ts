import { CORES, cpuCeiling, n0 } from './cpu-ceiling';
import type { DrainFigures } from './pipeline';

// The worker drain's CPU ceiling (cpu-ceiling.ts): the worker's own thread, and worker, Postgres,
// Redis and server sharing the cores; the bench's poller and unrelated processes are not counted.

const SORI_PROCESSES = ['worker', 'postgres', 'redis', 'server'];

function drainCeiling(d: DrainFigures) {
  const c = cpuCeiling(d.cpu, d.count, { name: 'worker', processes: d.processes }, SORI_PROCESSES);
  return (
    c && {
      workerMs: c.mainMs,
      totalMs: c.totalMs,
      workerBound: c.mainBound,
      coreCeiling: c.coreCeiling,
    }
  );
}

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
