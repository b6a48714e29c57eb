import type Redis from 'ioredis';

// Spent proof-of-work challenges, remembered until they expire so one solution cannot be
// replayed. Shared through Redis (SET NX with a TTL) when several server instances run; the
// key holds only the challenge's hash, nothing about who solved it.

export interface SpentStore {
  /** True the first time a challenge id is spent, false on every later try. */
  spend(id: string, expiresAtSeconds: number): Promise<boolean>;
}

// Beyond expiry, a margin for clocks that differ between instances.
const SKEW_SECONDS = 60;

/** One instance's memory: a Map in insertion order, oldest dropped first past `max`. */
export function memorySpentStore(now: () => number, max = 200_000): SpentStore {
  const spent = new Map<string, number>();
  return {
    async spend(id, expiresAt) {
      const t = now() / 1000;
      for (const [k, exp] of spent) {
        if (exp > t && spent.size < max) break;
        spent.delete(k);
      }
      if ((spent.get(id) ?? 0) > t) return false;
      spent.set(id, expiresAt + SKEW_SECONDS);
      return true;
    },
  };
}

/**
 * Redis first; if Redis is unreachable, this instance's memory. Failing open here keeps
 * testimony flowing while Redis is down: the work is still checked, and a replay is still
 * caught on the instance that saw the first use.
 */
export function redisSpentStore(
  redis: Redis,
  prefix: string,
  fallback: SpentStore,
  onFallback: () => void,
): SpentStore {
  return {
    async spend(id, expiresAt) {
      const ttl = Math.max(1, expiresAt + SKEW_SECONDS - Math.floor(Date.now() / 1000));
      try {
        const set = await redis.set(`${prefix}:pow:spent:${id}`, '1', 'EX', ttl, 'NX');
        return set === 'OK';
      } catch {
        onFallback();
        return fallback.spend(id, expiresAt);
      }
    },
  };
}
