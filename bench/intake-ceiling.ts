import { CORES, cpuCeiling, n0 } from './cpu-ceiling';
import type { HttpFigures } from './load';

// What bounds the intake's ratio to baseline (a): its server's CPU per request against the
// baseline's, and how busy its one thread was against the baseline's, both from the same run.

const COUNTED = ['server', 'postgres', 'redis', 'load generator'];

const serverMs = (f: HttpFigures): number => ((f.cpu.server ?? 0) * 1000) / f.expected;
const serverUse = (f: HttpFigures): number => (f.cpu.server ?? 0) / f.seconds;

/**
 * The measured ratio is exactly cost × busy: (baseline's server CPU ms per request ÷ Sori's)
 * × (Sori's server CPU use ÷ the baseline's), both from the same run.
 */
function intakeFactors(f: HttpFigures, baseline: HttpFigures) {
  if (f.expected === 0 || baseline.expected === 0) return null;
  const sori = serverMs(f);
  const base = serverMs(baseline);
  if (sori <= 0 || base <= 0) return null;
  return {
    soriMs: sori,
    baselineMs: base,
    cost: base / sori,
    busy: serverUse(f) / serverUse(baseline),
    soriUse: serverUse(f),
    baselineUse: serverUse(baseline),
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

/** For the results row: the ratio taken apart. */
export function intakeCeilingFigure(f: HttpFigures, baseline: HttpFigures): string {
  const k = intakeFactors(f, baseline);
  if (!k) return '';
  return `; = ${pct(k.cost)} CPU cost (server ms/request: baseline ${k.baselineMs.toFixed(3)} ÷ Sori ${k.soriMs.toFixed(3)}) × ${pct(k.busy)} busy (server ${(k.soriUse * 100).toFixed(0)} % of a core ÷ baseline's ${(k.baselineUse * 100).toFixed(0)} %)`;
}

/** For the details: what each factor is made of, and what 70 % asks of it. */
export function intakeCeilingDetail(f: HttpFigures, baseline: HttpFigures | null): string | null {
  const c = cpuCeiling(f.cpu, f.expected, { name: 'server', processes: 1 }, COUNTED);
  if (!c) return null;
  const k = baseline ? intakeFactors(f, baseline) : null;
  // The ceiling as a share of the baseline: the most this machine allows with these costs, were
  // both cores busy with nothing else all the time.
  const share = baseline
    ? `, ${pct(c.coreCeiling / baseline.reqPerSec)} of baseline (a) with both cores busy all the time`
    : '';
  const machine =
    `server, Postgres, Redis and the load generator together spend ${c.totalMs.toFixed(3)} CPU ms per request ` +
    `(${CORES}-core ceiling ${n0(c.coreCeiling)} req/s${share}).`;
  if (!k)
    return `  Ceiling: the server spends ${c.mainMs.toFixed(3)} CPU ms per request; ${machine}`;
  return (
    `  Ceiling: ratio = CPU cost × busy. CPU cost: the server spends ${k.soriMs.toFixed(3)} CPU ms per request ` +
    `against the baseline's ${k.baselineMs.toFixed(3)} (the same HTTP and JSON work, plus validation, hashing, ` +
    `its share of a Postgres batch and of a Redis pipeline): ${pct(k.cost)}, the ratio were both threads equally ` +
    `busy; 70 % needs ≤ ${(k.baselineMs / 0.7).toFixed(3)} ms at equal busyness. Busy: ${pct(k.busy)}, the time ` +
    `Sori's thread had no request ready (each waits for its Postgres commit before its 202) or no core (Postgres, ` +
    `Redis and the load generator share the machine with it; other load on it counts here too); ${machine}`
  );
}
