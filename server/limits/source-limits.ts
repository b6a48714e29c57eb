import type Redis from 'ioredis';
import type { Response } from 'express';
import { AppError, E } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { abuseCounterId, hashSourceToken } from '../../crypto';

// Per-source-token buckets in Redis (submissions with a token, status checks), refilled at each
// UTC midnight and expiring on a day boundary, so Redis holds nothing finer than the day about
// a source's visits (server/SERVER.md).

export type LimitKind = 'submission' | 'status';

export interface BucketLimit {
  /** Tokens added at each UTC midnight. */
  perDay: number;
  /** Most tokens a bucket can hold: the largest burst a token can spend at once. */
  burst: number;
}

export interface SourceLimitsDeps {
  redis: Redis;
  prefix: string;
  /** 32-byte server key (the proof-of-work key, used under its own label). */
  key: Uint8Array;
  limits: Readonly<Record<LimitKind, BucketLimit>>;
  log: Logger;
  now?: () => number;
}

export interface SourceLimits {
  /** Takes one token; throws TOO_MANY_REQUESTS (429, Retry-After set on `res`) when empty. */
  take(kind: LimitKind, sourceToken: Uint8Array, res: Response): Promise<void>;
  /** Gives back a token taken for a request that turned out to cost nothing (a resend). */
  refund(kind: LimitKind, sourceToken: Uint8Array): Promise<void>;
}

const DAY = 86_400;

// KEYS[1] bucket; ARGV: burst, perDay, today (day number), expire-at (unix seconds).
// Returns 1 when a token was taken, 0 when the bucket is empty (and then writes nothing).
const TAKE_SCRIPT = `
local burst = tonumber(ARGV[1])
local perDay = tonumber(ARGV[2])
local today = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 't', 'd')
local tokens = tonumber(state[1])
local day = tonumber(state[2])
if tokens == nil or day == nil then
  tokens = burst
  day = today
end
-- A clock that ran ahead and was set back must not lock a bucket until that day comes.
if day > today then day = today end
-- A burst lowered in the configuration applies at once.
tokens = math.min(tokens, burst)
if today > day then
  tokens = math.min(burst, tokens + perDay * (today - day))
  day = today
end
if tokens < 1 then return 0 end
redis.call('HSET', KEYS[1], 't', tokens - 1, 'd', day)
redis.call('EXPIREAT', KEYS[1], ARGV[4])
return 1
`;

// KEYS[1] bucket; ARGV: burst. One token back, never above burst, only into a bucket that
// exists (an expired one is full anyway); its day and expiry are left as they are.
const REFUND_SCRIPT = `
local tokens = tonumber(redis.call('HGET', KEYS[1], 't'))
if tokens == nil then return 0 end
redis.call('HSET', KEYS[1], 't', math.min(tonumber(ARGV[1]), tokens + 1))
return 1
`;

export function createSourceLimits(deps: SourceLimitsDeps): SourceLimits {
  for (const [kind, limit] of Object.entries(deps.limits)) {
    if (!(limit.perDay >= 1 && limit.burst >= 1))
      throw new RangeError(`source limits: ${kind} needs perDay and burst of at least 1`);
  }
  const now = deps.now ?? Date.now;
  let warned = false;
  const bucketKey = (kind: LimitKind, sourceToken: Uint8Array): string =>
    `${deps.prefix}:bucket:${kind}:${abuseCounterId(deps.key, `limit-${kind}`, hashSourceToken(sourceToken))}`;
  return {
    async refund(kind, sourceToken) {
      try {
        await deps.redis.eval(
          REFUND_SCRIPT,
          1,
          bucketKey(kind, sourceToken),
          deps.limits[kind].burst,
        );
      } catch {
        // Redis down: take() fails open too, so nothing was taken that matters.
      }
    },
    async take(kind, sourceToken, res) {
      const { perDay, burst } = deps.limits[kind];
      const today = Math.floor(now() / 1000 / DAY);
      // Full again after this many midnights; one day more so the expiry never comes early.
      const expireAt = (today + Math.ceil(burst / perDay) + 1) * DAY;
      const k = bucketKey(kind, sourceToken);
      let taken: boolean;
      try {
        taken = (await deps.redis.eval(TAKE_SCRIPT, 1, k, burst, perDay, today, expireAt)) === 1;
      } catch {
        // Redis down: fail OPEN. A testimony must never be lost to a rate limiter, and the
        // proof of work still prices every request; status checks are let through alike.
        if (!warned) deps.log.warn('limits.redis_unavailable', { code: 'LIMITS_FAIL_OPEN' });
        warned = true;
        return;
      }
      if (!taken) {
        const nextMidnight = (today + 1) * DAY;
        res.set('retry-after', String(Math.max(1, nextMidnight - Math.floor(now() / 1000))));
        throw new AppError(E.TOO_MANY_REQUESTS);
      }
    },
  };
}
