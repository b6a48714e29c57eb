import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// RSS after a burst of streaming counts garbage not yet collected, and how much of it lingers
// depends on how busy the machine is (a 200 MB PATCH measured 35 MiB quiet and 122 MiB under
// CI load). What a test of "never held" needs is the live set: sampled after a full collection.

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

const MiB = 1024 * 1024;

const live = (): number => {
  collect();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

export interface MemoryReading {
  /**
   * The largest rise of the live set (heap and buffers after a full GC) over a lower reading
   * before it, MiB: what an earlier suite left to collect falls away without hiding growth.
   */
  liveGrowthMiB: number;
  /** Largest RSS growth seen, MiB: printed for information, not asserted (GC timing). */
  rssGrowthMiB: number;
}

/**
 * Samples this process's live memory until the returned stop() is called. A full collection
 * blocks the event loop, so the next one waits at least `everyMs` and four times as long as
 * the last took: on a loaded machine collections never crowd out the I/O under test.
 */
export function sampleMemory(everyMs = 250): { sample(): void; stop(): MemoryReading } {
  const liveBefore = live();
  const rssBefore = process.memoryUsage().rss;
  let liveLow = liveBefore;
  let liveRise = 0;
  const sample = (): void => {
    const now = live();
    liveLow = Math.min(liveLow, now);
    liveRise = Math.max(liveRise, now - liveLow);
  };
  let rssPeak = rssBefore;
  const rss = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 10);
  let full: NodeJS.Timeout | null = null;
  const schedule = (lastMs: number): void => {
    full = setTimeout(
      () => {
        const started = performance.now();
        sample();
        schedule(performance.now() - started);
      },
      Math.max(everyMs, 4 * lastMs),
    );
  };
  schedule(0);
  let reading: MemoryReading | null = null;
  return {
    /** Samples now: callers also sample at points of progress, whatever the GCs cost. */
    sample,
    /** Stops sampling (once: later calls return the same reading). */
    stop(): MemoryReading {
      if (reading) return reading;
      clearInterval(rss);
      if (full) clearTimeout(full);
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      sample();
      reading = {
        liveGrowthMiB: liveRise / MiB,
        rssGrowthMiB: (rssPeak - rssBefore) / MiB,
      };
      return reading;
    },
  };
}
