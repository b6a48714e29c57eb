import { availableParallelism } from 'node:os';
import type { HttpFigures } from './load';

// What the intake's measured CPU per request allows on this machine, as for the upload and the
// worker drain: the server is one JavaScript thread, so its CPU per request bounds it alone;
// and server, Postgres, Redis and the load generator (which the baseline shares) split the
// cores, so their CPU per request together bounds the whole. Unrelated processes are left out.

const CORES = availableParallelism();
const COUNTED = ['server', 'postgres', 'redis', 'load generator'];

export interface IntakeCeiling {
  serverMs: number;
  totalMs: number;
  serverBound: number;
  coreCeiling: number;
}

export function intakeCeiling(f: HttpFigures): IntakeCeiling | null {
  const ms = (name: string): number => ((f.cpu[name] ?? 0) * 1000) / f.expected;
  const serverMs = ms('server');
  const totalMs = COUNTED.reduce((sum, name) => sum + ms(name), 0);
  if (f.expected === 0 || serverMs <= 0) return null;
  return {
    serverMs,
    totalMs,
    serverBound: 1000 / serverMs,
    coreCeiling: (CORES * 1000) / totalMs,
  };
}

const n0 = (x: number): string => Math.round(x).toLocaleString('en-US');
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
