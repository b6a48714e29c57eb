import type Redis from 'ioredis';
import { AppError, E } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { issuePow, parsePowHeader, toBase64, verifyPow } from '../../crypto';
import { difficultyFor, memoryLoadMeter, redisLoadMeter, type LoadMeter } from './load-meter';
import { memorySpentStore, redisSpentStore, type SpentStore } from './spent-store';

// Proof of work on submissions and status checks: anti-abuse that identifies no one (no IP
// limits, no third-party CAPTCHA). Stateless issuing: a challenge carries its own difficulty
// and expiry under the server's MAC; only spent challenges are remembered, until they expire.

export interface PowSettings {
  /** 32-byte MAC key; every instance behind one load balancer needs the same (POW_SECRET). */
  key: Uint8Array;
  baseDifficulty: number;
  maxDifficulty: number;
  /** Accepted solutions per minute above which each doubling adds one bit. */
  loadThreshold: number;
  ttlSeconds: number;
}

export interface PowServiceDeps extends PowSettings {
  /** Shares spent challenges and load between instances; without it, this process only. */
  redis?: Redis;
  prefix: string;
  log: Logger;
  now?: () => number;
}

export interface IssuedPow {
  challenge: string;
  mac: string;
  difficulty: number;
  expires: number;
}

export interface PowService {
  issue(): Promise<IssuedPow>;
  /** Throws POW_REQUIRED / POW_INVALID / POW_EXPIRED / POW_REPLAYED; spends it otherwise. */
  check(header: string | undefined): Promise<void>;
}

export const POW_HEADER = 'sori-pow';

const powError = {
  required: () => new AppError(E.POW_REQUIRED),
  invalid: () => new AppError(E.POW_INVALID),
  expired: () => new AppError(E.POW_EXPIRED),
  replayed: () => new AppError(E.POW_REPLAYED),
};

export function createPowService(deps: PowServiceDeps): PowService {
  const now = deps.now ?? Date.now;
  let warned = false;
  const warnOnce = () => {
    if (!warned) deps.log.warn('pow.redis_unavailable', { code: 'POW_LOCAL_FALLBACK' });
    warned = true;
  };
  const localSpent = memorySpentStore(now);
  const spent: SpentStore = deps.redis
    ? redisSpentStore(deps.redis, deps.prefix, localSpent, warnOnce)
    : localSpent;
  const localLoad = memoryLoadMeter(now);
  const load: LoadMeter = deps.redis
    ? redisLoadMeter(deps.redis, deps.prefix, now, localLoad)
    : localLoad;
  const limits = {
    base: deps.baseDifficulty,
    max: deps.maxDifficulty,
    threshold: deps.loadThreshold,
  };

  return {
    async issue() {
      const difficulty = difficultyFor(await load.perMinute(), limits);
      // Whole minutes: everyone asking within the same minute gets the same expiry.
      const expires = Math.ceil((now() / 1000 + deps.ttlSeconds) / 60) * 60;
      const { challenge, mac } = issuePow(deps.key, difficulty, expires);
      return { challenge: toBase64(challenge), mac: toBase64(mac), difficulty, expires };
    },

    async check(header) {
      if (header === undefined || header.trim() === '') throw powError.required();
      let parts: ReturnType<typeof parsePowHeader>;
      try {
        parts = parsePowHeader(header.trim());
      } catch {
        throw powError.invalid();
      }
      // A challenge issued at a lower difficulty stays good until it expires (ttl): the rise
      // under load applies to challenges handed out from then on.
      const verdict = verifyPow(parts.challenge, parts.mac, parts.nonce, deps.key, now() / 1000);
      if (!verdict.ok) throw verdict.reason === 'expired' ? powError.expired() : powError.invalid();
      if (!(await spent.spend(verdict.id, verdict.challenge.expires))) throw powError.replayed();
      await load.record();
    },
  };
}
