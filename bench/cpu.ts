import { readdirSync, readFileSync } from 'node:fs';

// CPU time per component over a measured window, from /proc (Linux only; empty elsewhere):
// on a small machine the load generator, Postgres, Redis and the process under test share the
// cores, and "where did the CPU go" is the first question behind any figure.

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export type CpuSnapshot = Map<number, { comm: string; ticks: number }>;
/** CPU seconds per component name. */
export type CpuUse = Record<string, number>;

export function cpuSnapshot(): CpuSnapshot {
  const snap: CpuSnapshot = new Map();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return snap;
  }
  for (const pid of pids) {
    try {
      snap.set(Number(pid), procStat(Number(pid)));
    } catch {
      // gone meanwhile
    }
  }
  return snap;
}

/** A process's command name and CPU ticks so far (utime + stime); throws once it is gone. */
function procStat(pid: number): { comm: string; ticks: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const close = stat.lastIndexOf(')');
  const comm = stat.slice(stat.indexOf('(') + 1, close);
  const fields = stat.slice(close + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  return { comm, ticks: Number(fields[11]) + Number(fields[12]) };
}

/** Cumulative CPU seconds of one process; throws once it is gone. */
export const processCpuSeconds = (pid: number): number => procStat(pid).ticks / TICKS_PER_SECOND;

/** CPU seconds between two snapshots, grouped: named pids first, then by command name. */
export function cpuUse(
  before: CpuSnapshot,
  after: CpuSnapshot,
  named: Record<string, number | undefined>,
): CpuUse {
  const byPid = new Map<number, string>();
  for (const [name, pid] of Object.entries(named)) if (pid !== undefined) byPid.set(pid, name);
  const use: CpuUse = {};
  for (const [pid, a] of after) {
    const delta = a.ticks - (before.get(pid)?.ticks ?? 0); // a process born in the window counts whole
    if (delta <= 0) continue;
    const name =
      byPid.get(pid) ??
      (a.comm.startsWith('postgres') ? 'postgres' : a.comm.startsWith('redis') ? 'redis' : 'other');
    use[name] = (use[name] ?? 0) + delta / TICKS_PER_SECOND;
  }
  return use;
}

export function formatCpu(
  use: CpuUse | undefined,
  seconds: number,
  units: number,
  unit: string,
): string {
  if (!use || Object.keys(use).length === 0) return 'not available';
  return Object.entries(use)
    .sort((a, b) => b[1] - a[1])
    .map(
      ([name, s]) =>
        `${name} ${((s / seconds) * 100).toFixed(0)} % of a core (${((s * 1000) / units).toFixed(2)} ms/${unit})`,
    )
    .join(', ');
}
