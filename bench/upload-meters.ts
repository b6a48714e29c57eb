import { processCpuSeconds } from './cpu';
import type { BenchSchema } from './fixtures';

// Who spent the CPU in the upload bench: the bench client, the Sori server child, its
// Postgres backends (found by application_name) and any extra process (s3rver), each as
// cumulative CPU seconds per process id, so a window's share is a difference of snapshots.

/** CPU ms per MiB of plaintext, per party. */
export type CpuShare = Record<string, number>;

export const SERVER_APP = 'sori-bench-upload-server';
export const READ_APP = 'sori-bench-upload-read';
export const withAppName = (url: string, app: string): string => {
  const u = new URL(url);
  u.searchParams.set('application_name', app);
  return u.toString();
};

/** Who is measured: each party's cumulative CPU seconds, by process id. */
export type Meters = Record<string, () => Promise<Map<number, number>>>;

export function meters(
  schema: BenchSchema,
  serverPid: number,
  extra: Record<string, number> = {},
): Meters {
  // The backends of the server's and the reader's pools, found by application_name.
  // Pools open and close backends (idle timeout): each is counted from when it is first seen.
  const backends = async (): Promise<Map<number, number>> => {
    const { rows } = await schema.pool.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE application_name = ANY($1)`,
      [[SERVER_APP, READ_APP]],
    );
    const out = new Map<number, number>();
    for (const { pid } of rows) {
      try {
        out.set(pid, processCpuSeconds(pid));
      } catch {
        // gone meanwhile
      }
    }
    return out;
  };
  const one = (pid: number) => async () => new Map([[pid, processCpuSeconds(pid)]]);
  const m: Meters = {
    client: async () => {
      const u = process.cpuUsage();
      return new Map([[process.pid, (u.user + u.system) / 1e6]]);
    },
    server: one(serverPid),
    postgres: backends,
  };
  for (const [name, pid] of Object.entries(extra)) m[name] = one(pid);
  return m;
}

export type Snapshot = Record<string, Map<number, number>>;

export async function snapshot(m: Meters): Promise<Snapshot> {
  const out: Snapshot = {};
  for (const [name, read] of Object.entries(m)) out[name] = await read();
  return out;
}

/**
 * CPU ms per MiB of plaintext (`mib` of it moved) between two snapshots: per process present
 * at the end, minus what it had at the start (0 if it started meanwhile). A backend closed
 * meanwhile is lost.
 */
export const perMiB = (before: Snapshot, after: Snapshot, mib: number): CpuShare =>
  Object.fromEntries(
    Object.entries(after).map(([name, pids]) => {
      let seconds = 0;
      for (const [pid, cpu] of pids) seconds += cpu - (before[name]?.get(pid) ?? 0);
      return [name, (seconds * 1000) / mib];
    }),
  );
