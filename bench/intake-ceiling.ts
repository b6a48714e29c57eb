import { CORES, cpuCeiling, n0 } from './cpu-ceiling';
import type { HttpFigures } from './load';

// The intake's CPU ceiling (cpu-ceiling.ts): the server's own thread, and server, Postgres, Redis
// and the load generator (which the baseline shares) splitting the cores.

const COUNTED = ['server', 'postgres', 'redis', 'load generator'];

function intakeCeiling(f: HttpFigures) {
  const c = cpuCeiling(f.cpu, f.expected, { name: 'server', processes: 1 }, COUNTED);
  return (
    c && {
      serverMs: c.mainMs,
      totalMs: c.totalMs,
      serverBound: c.mainBound,
      coreCeiling: c.coreCeiling,
    }
  );
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

/** For the results row: the lower bound, as a share of baseline (a). */
export function intakeCeilingFigure(f: HttpFigures, baselinePerSec: number): string {
  const c = intakeCeiling(f);
  if (!c) return '';
  const ceiling = Math.min(c.serverBound, c.coreCeiling);
  return `; CPU ceiling ${n0(ceiling)} req/s = ${pct(ceiling / baselinePerSec)} (server process ${n0(c.serverBound)}, ${CORES} cores ${n0(c.coreCeiling)})`;
}

/** For the details: the costs behind the ceiling. */
export function intakeCeilingDetail(f: HttpFigures): string | null {
  const c = intakeCeiling(f);
  if (!c) return null;
  return (
    `  Ceiling: the server spends ${c.serverMs.toFixed(3)} CPU ms per request (bound ${n0(c.serverBound)} req/s); ` +
    `server, Postgres, Redis and the load generator together ${c.totalMs.toFixed(3)} ms (${CORES}-core ceiling ${n0(c.coreCeiling)} req/s). ` +
    'What moves it: less server CPU per request (it is one JavaScript thread) and fewer Postgres and Redis round trips per request.'
  );
}
