import type Redis from 'ioredis';

// How many proofs of work were accepted in the current and the previous minute, across all
// instances (Redis INCR on a per-minute key) or, without Redis, on this one. The counters are
// bare numbers: no client, no token, no time finer than the minute.

export interface LoadMeter {
  record(): Promise<void>;
  /** Accepted solutions per minute: the larger of this minute and the last. */
  perMinute(): Promise<number>;
}

const minuteOf = (ms: number): number => Math.floor(ms / 60_000);

export function memoryLoadMeter(now: () => number): LoadMeter {
  const counts = new Map<number, number>();
  return {
    async record() {
      const m = minuteOf(now());
      counts.set(m, (counts.get(m) ?? 0) + 1);
      for (const k of counts.keys()) if (k < m - 1) counts.delete(k);
    },
    async perMinute() {
      const m = minuteOf(now());
      return Math.max(counts.get(m) ?? 0, counts.get(m - 1) ?? 0);
    },
  };
}

export function redisLoadMeter(
  redis: Redis,
  prefix: string,
  now: () => number,
  fallback: LoadMeter,
): LoadMeter {
  const key = (m: number) => `${prefix}:pow:load:${m}`;
  return {
    async record() {
      await fallback.record();
      const k = key(minuteOf(now()));
      try {
        await redis.multi().incr(k).expire(k, 180).exec();
      } catch {
        // Redis down: this instance's own count still raises the difficulty.
      }
    },
    async perMinute() {
      const m = minuteOf(now());
      try {
        const [cur, prev] = await redis.mget(key(m), key(m - 1));
        return Math.max(Number(cur ?? 0), Number(prev ?? 0));
      } catch {
        return fallback.perMinute();
      }
    },
  };
}

/** base, +1 bit per doubling of the load above `threshold`, capped at `max`. */
export function difficultyFor(
  perMinute: number,
  o: { base: number; max: number; threshold: number },
): number {
  if (perMinute <= o.threshold) return o.base;
  return Math.min(o.max, o.base + Math.ceil(Math.log2(perMinute / o.threshold)));
}
