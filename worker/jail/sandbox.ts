import { JailPool } from './jail-pool';
import { JailSession } from './jail-session';
import { CHILD_ENTRY, DEFAULT_LIMITS, type JailLimits } from './jail-spawn';
import type { Sandbox } from './sandbox.types';
import type { SessionLimits } from './session-limits';

// Where the worker's attachments are parsed: in jails (the default, and the only production
// setting), or — for development on a machine without user namespaces, when the operator says
// so explicitly — in the worker process itself, every report saying so.

export interface SandboxConfig {
  SANDBOX?: 'bubblewrap' | 'none-development-only';
  SANDBOX_POOL_SIZE?: number;
  SANDBOX_DEADLINE_MS?: number;
  SANDBOX_MEMORY_MB?: number;
}

export interface SandboxOptions {
  poolSize: number;
  limits: JailLimits;
  session: SessionLimits;
  /** The program run in each jail (the tests' probe uses jail-spawn directly). */
  entry?: string;
}

export function createJailSandbox(options: SandboxOptions): Sandbox {
  const pool = new JailPool(
    { entry: options.entry ?? CHILD_ENTRY, limits: options.limits, startMs: 60_000 },
    options.poolSize,
  );
  return {
    jailed: true,
    start: () => pool.check(),
    async session(fn) {
      const s = new JailSession(pool, options.session);
      try {
        return await fn(s);
      } finally {
        await s.end();
      }
    },
    close: () => pool.close(),
  };
}

export function sandboxFromConfig(config: SandboxConfig, maxOutputBytes: number): Sandbox {
  if (config.SANDBOX === 'none-development-only') {
    // Loaded only here: a jailed worker never loads sharp, mupdf or exiftool itself.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createUnjailedSandbox } = require('./unjailed') as typeof import('./unjailed');
    return createUnjailedSandbox();
  }
  return createJailSandbox({
    poolSize: config.SANDBOX_POOL_SIZE ?? 2,
    limits: { ...DEFAULT_LIMITS, memoryMb: config.SANDBOX_MEMORY_MB ?? DEFAULT_LIMITS.memoryMb },
    session: { deadlineMs: config.SANDBOX_DEADLINE_MS ?? 120_000, maxOutputBytes },
  });
}

let fallback: Sandbox | undefined;
/**
 * One jailed sandbox for job contexts built without file dependencies (tests calling a handler
 * directly): shared, so such calls do not each leave a pool of waiting jails behind.
 */
export function defaultSandbox(maxOutputBytes: number): Sandbox {
  fallback ??= sandboxFromConfig({}, maxOutputBytes);
  return fallback;
}
