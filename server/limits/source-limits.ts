import type Redis from 'ioredis';
import type { Response } from 'express';
import { tooManyRequests } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { abuseCounterId, hashSourceToken } from '../../crypto';

// Per-source-token budgets (submissions with a token, status checks): daily counters in Redis
// named by a keyed, truncated hash of the token hash. A counter's key names its window, so the
// window is what a seized Redis (with the server key and Postgres) could tell about when a
// source came by: whole UTC days, the same grain as a submission's received_on.

export type LimitKind = 'submission' | 'status';

export interface SourceLimitsDeps {
  redis: Redis;
  prefix: string;
  /** 32-byte server key (the proof-of-work key, used under its own label). */
  key: Uint8Array;
  perDay: Readonly<Record<LimitKind, number>>;
  log: Logger;
  now?: () => number;
}

export interface SourceLimits {
  /** Counts one request; throws TOO_MANY_REQUESTS (429, Retry-After set on `res`) past the limit. */
  take(kind: LimitKind, sourceToken: Uint8Array, res: Response): Promise<void>;
}

const DAY = 86_400;

export function createSourceLimits(deps: SourceLimitsDeps): SourceLimits {
  const now = deps.now ?? Date.now;
  let warned = false;
  return {
    async take(kind, sourceToken, res) {
      const seconds = Math.floor(now() / 1000);
      const windowEnd = (Math.floor(seconds / DAY) + 1) * DAY;
      const id = abuseCounterId(deps.key, `limit-${kind}`, hashSourceToken(sourceToken));
      const k = `${deps.prefix}:limit:${kind}:${windowEnd}:${id}`;
      let count: number;
      try {
        const out = await deps.redis
          .multi()
          .incr(k)
          .expireat(k, windowEnd + 60)
          .exec();
        count = Number(out?.[0]?.[1] ?? 0);
      } catch {
        // Redis down: fail OPEN. A testimony must never be lost to a rate limiter, and the
        // proof of work still prices every request; status checks are let through alike.
        if (!warned) deps.log.warn('limits.redis_unavailable', { code: 'LIMITS_FAIL_OPEN' });
        warned = true;
        return;
      }
      if (count > deps.perDay[kind]) {
        res.set('retry-after', String(Math.max(1, windowEnd - seconds)));
        throw tooManyRequests('TOO_MANY_REQUESTS', 'Too many requests for this receipt: try later');
      }
    },
  };
}
