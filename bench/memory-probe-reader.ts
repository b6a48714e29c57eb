import { existsSync, readFileSync, rmSync } from 'node:fs';
import { waitFor } from './stats';

// The bench's side of bench/memory-probe.ts: signal the child, wait for its reading.

/** process.memoryUsage() of the child after a full GC, bytes. */
export interface LiveMemory {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

const MiB = 1024 * 1024;

/** The live set: what a full GC leaves on the JS heap and in buffers outside it. */
export const liveMiB = (m: LiveMemory): number => (m.heapUsed + m.external) / MiB;

export async function readLiveMemory(pid: number, file: string): Promise<LiveMemory> {
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  // A heap snapshot (BENCH_HEAP_SNAPSHOT_DIR) of a busy worker can take minutes.
  await waitFor(async () => existsSync(file), 'memory probe', 600_000, 50);
  return JSON.parse(readFileSync(file, 'utf8')) as LiveMemory;
}
