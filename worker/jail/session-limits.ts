import type { Jail } from './jail';

// A session's limits, and what a streamed file needs of its session: the limits and its jail.

/** A file's deadline: the session's, plus a second per this many bytes (copies, remuxes). */
const BYTES_PER_SECOND = 4 * 1024 * 1024;

export function deadlineFor(limits: SessionLimits, size: number): number {
  return limits.deadlineMs + Math.ceil((size / BYTES_PER_SECOND) * 1000);
}

export interface SessionLimits {
  /** Wall-clock deadline for one file in memory (ms). */
  deadlineMs: number;
  /** The largest clean output believed (the worker holds it whole, like its input). */
  maxOutputBytes: number;
}

export interface SessionJails {
  readonly limits: SessionLimits;
  /** The session's jail, a fresh one from the pool if the last was killed. */
  current(): Promise<Jail>;
}
