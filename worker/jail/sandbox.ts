import type { SanitiseResult } from '../sanitise/types';
import type { ByteSink, StreamedFormat, StreamedResult } from '../sanitise/media';
import { JailPool } from './jail-pool';
import { JailSession, type SessionLimits } from './jail-session';
import { CHILD_ENTRY, DEFAULT_LIMITS, type JailLimits } from './jail-spawn';

// Where the worker's attachments are parsed: in jails (the default, and the only production
// setting), or — for development on a machine without user namespaces, when the operator says
// so explicitly — in the worker process itself, every report saying so.

export interface Declared {
  name: string;
  type: string;
}

/** A streamed file's result, with the SHA-256 the worker took of the output it received. */
export type SessionStreamed =
  | (Extract<StreamedResult, { status: 'clean' }> & { sha256: string })
  | Extract<StreamedResult, { status: 'unsanitised' }>;

export interface StreamSession {
  /** The first pass over the plaintext, fed by the caller as it decrypts. */
  readonly firstPass: ByteSink;
  /** Serves further passes, writes the clean output into the sink `open` gives. */
  finish(
    pass: () => AsyncIterable<Buffer>,
    open: (size: number) => Promise<ByteSink>,
  ): Promise<SessionStreamed>;
}

export interface SandboxSession {
  sanitise(input: Buffer, declared: Declared): Promise<SanitiseResult>;
  stream(format: StreamedFormat, size: number): StreamSession;
}

export interface Sandbox {
  readonly jailed: boolean;
  /** Checks that a jail can be made (throws JailUnavailable) and warms the pool. */
  start(): Promise<void>;
  /** Runs one submission's files; every jail it used is destroyed afterwards. */
  session<T>(fn: (s: SandboxSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export const UNJAILED_NOTE = 'sanitised without sandbox';

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
