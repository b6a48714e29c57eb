import type { SanitiseResult } from '../sanitise/types';
import type { ByteSink, StreamedFormat, StreamedResult } from '../sanitise/media';

// What the worker sees of a sandbox, jailed or not: one session per submission.

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
