import { once } from 'node:events';
import type Redis from 'ioredis';
import type { Pool } from 'pg';
import { findCurrentIntakeKey } from '../../core/repositories/intake-key.repository';
import { pendingMigrations } from '../../sql/migrate';

// Readiness probes: each dependency answers within a short timeout or counts as down.

export type CheckState = 'ok' | 'down';
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export function postgresCheck(pool: Pool): ReadinessCheck {
  return { name: 'postgres', check: async () => void (await pool.query('SELECT 1')) };
}

/** Every migration on disk is applied (a server ahead of its schema answers 500s). */
export function schemaCheck(pool: Pool): ReadinessCheck {
  return {
    name: 'schema',
    check: async () => {
      if ((await pendingMigrations(pool)).length > 0) throw new Error('migrations pending');
    },
  };
}

/** A current intake key exists: the worker registers it when it starts. Until then the page
 * and the API answer 503 INTAKE_KEY_MISSING, so the server is not ready to take testimony. */
export function intakeKeyCheck(pool: Pool): ReadinessCheck {
  return {
    name: 'intakeKey',
    check: async () => {
      if (!(await findCurrentIntakeKey(pool))) throw new Error('no intake key');
    },
  };
}

export function redisCheck(redis: Redis): ReadinessCheck {
  return {
    name: 'redis',
    check: async () => {
      // The probe has no offline queue: a PING sent while it is still (re)connecting fails at
      // once, so wait for the connection (the caller's timeout bounds the wait).
      if (redis.status !== 'ready')
        await once(redis, 'ready', { signal: AbortSignal.timeout(2000) });
      await redis.ping();
    },
  };
}

async function within(check: ReadinessCheck, ms: number): Promise<CheckState> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckState>((resolve) => {
    timer = setTimeout(() => resolve('down'), ms);
  });
  const run = check.check().then(
    (): CheckState => 'ok',
    (): CheckState => 'down',
  );
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs = 1000,
): Promise<{ ready: boolean; checks: Record<string, CheckState> }> {
  const states = await Promise.all(checks.map((c) => within(c, timeoutMs)));
  const out: Record<string, CheckState> = {};
  checks.forEach((c, i) => (out[c.name] = states[i] ?? 'down'));
  return { ready: states.every((s) => s === 'ok'), checks: out };
}
