import type Redis from 'ioredis';
import { ConfigError, readSecret, type Config } from '../../core/config';
import type { Logger } from '../../core/logger';
import { fromBase64, randomBytes } from '../../crypto';
import { createSourceLimits, type SourceLimits } from '../limits/source-limits';
import { createPowService, type PowService } from './pow.service';

// What main.ts hands createPublicApp: proof of work (POW_REQUIRED, on by default in
// production) and per-source-token budgets, both sharing state through Redis.

function powKey(config: Config, log: Logger): Uint8Array {
  const secret = readSecret(config, 'POW_SECRET_FILE', 'POW_SECRET');
  if (secret === undefined) {
    log.warn('pow.ephemeral_key', { code: 'POW_SECRET_UNSET' });
    return randomBytes(32);
  }
  try {
    const key = fromBase64(secret);
    if (key.length === 32) return key;
  } catch {
    // fall through to the error naming the variable
  }
  throw new ConfigError('Invalid configuration: POW_SECRET: base64url of 32 bytes expected');
}

export function createAbuseGuards(deps: { config: Config; redis: Redis; log: Logger }): {
  pow?: PowService;
  limits: SourceLimits;
} {
  const { config, redis, log } = deps;
  if (config.POW_MAX_DIFFICULTY < config.POW_BASE_DIFFICULTY)
    throw new ConfigError('Invalid configuration: POW_MAX_DIFFICULTY: below POW_BASE_DIFFICULTY');
  const key = powKey(config, log);
  const prefix = config.QUEUE_PREFIX;
  const required = config.POW_REQUIRED ?? config.NODE_ENV === 'production';
  const pow = required
    ? createPowService({
        key,
        redis,
        prefix,
        log,
        baseDifficulty: config.POW_BASE_DIFFICULTY,
        maxDifficulty: config.POW_MAX_DIFFICULTY,
        loadThreshold: config.POW_LOAD_THRESHOLD,
        ttlSeconds: config.POW_TTL_SECONDS,
      })
    : undefined;
  const limits = createSourceLimits({
    redis,
    prefix,
    key,
    log,
    limits: {
      submission: {
        perDay: config.LIMIT_SUBMISSIONS_PER_DAY,
        burst: config.LIMIT_SUBMISSIONS_BURST ?? config.LIMIT_SUBMISSIONS_PER_DAY,
      },
      status: {
        perDay: config.LIMIT_STATUS_PER_DAY,
        burst: config.LIMIT_STATUS_BURST ?? config.LIMIT_STATUS_PER_DAY,
      },
    },
  });
  return { ...(pow ? { pow } : {}), limits };
}
