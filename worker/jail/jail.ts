import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { readFrames, sendBytes, sendControl, type Frame } from './frames';
import { spawnJail, type JailLimits } from './jail-spawn';

// One jail process, seen from the worker: it starts (bwrap → prlimit → node), says `ready`,
// serves requests for one submission and is killed. Every wait on it races its death and the
// worker's deadline; how it ended picks the code a file gets when it does not answer.

export type SandboxCode =
  'SANDBOX_CRASHED' | 'SANDBOX_LIMIT' | 'SANDBOX_TIMEOUT' | 'SANDBOX_BAD_ANSWER';

/** The jail died, ran out of time or broke the protocol: the file in hand is not sanitised. */
export class JailFailed extends Error {
  constructor(readonly code: SandboxCode) {
    super(code);
  }
}

export class JailUnavailable extends Error {
  readonly code = 'SANDBOX_UNAVAILABLE';
  constructor(readonly why: string) {
    super(`cannot create a sanitiser jail: ${why}`);
  }
}

const SIGXCPU = 24;
const SIGXFSZ = 25;
const SIGKILL = 9;
// What V8, libvips or libc print when an allocation fails under RLIMIT_AS. The jail could lie
// here, but only to pick between two failure codes for its own file.
const OUT_OF_MEMORY = /out of memory|allocation failed|heap limit|bad_alloc|cannot allocate/i;
const STDERR_TAIL = 4096;

export interface JailOptions {
  entry: string;
  limits: JailLimits;
  /** How long a jail may take to start and say ready. */
  startMs: number;
}

export class Jail {
  private readonly child: ChildProcess;
  private readonly frames: AsyncIterator<Frame>;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private stderrTail = '';
  private timedOut = false;
  private killed = false;
  private deadline: NodeJS.Timeout | undefined;
  /** The jail's PID as its own namespace sees it (tests compare jails by namespace). */
  pid: number | undefined;

  constructor(private readonly options: JailOptions) {
    this.child = spawnJail(options.entry, options.limits);
    this.exited = once(this.child, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
    }));
    // Never logged: a tool's message may quote the file. Kept short, only to tell OOM apart.
    this.child.stderr!.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString('latin1')).slice(-STDERR_TAIL);
    });
    this.child.stdin!.on('error', () => undefined); // EPIPE from a dead jail: seen at exit
    this.child.on('error', () => undefined); // spawn failure (no bwrap): the exit says it
    this.frames = readFrames(this.child.stdout as Readable)[Symbol.asyncIterator]();
  }

  /**
   * Whether this jail keeps the process alive. A jail waiting in the pool does not (a worker
   * shutting down, a test ending); one in use does, like any pending I/O.
   */
  hold(on: boolean): void {
    const method = on ? 'ref' : 'unref';
    this.child[method]();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr])
      (s as unknown as Record<string, (() => void) | undefined>)[method]?.();
  }

  /** The host PID of bwrap (the process the worker kills). */
  get hostPid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return !this.killed && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once the child has loaded its tools; throws JailUnavailable if it cannot. */
  async ready(): Promise<void> {
    this.arm(this.options.startMs);
    try {
      const msg = await this.control();
      if (msg.op !== 'ready') throw new JailFailed('SANDBOX_BAD_ANSWER');
      this.pid = typeof msg.pid === 'number' ? msg.pid : undefined;
    } catch (err) {
      this.kill();
      const { code, signal } = await this.exited;
      const detail = err instanceof JailFailed && err.code !== 'SANDBOX_CRASHED' ? err.code : '';
      throw new JailUnavailable(
        `jail exited (${signal ?? `code ${code}`}) ${detail} ${firstLine(this.stderrTail)}`.trim(),
      );
    } finally {
      this.disarm();
    }
  }

  /** Starts the wall-clock deadline for the request in hand; past it the jail is killed. */
  arm(ms: number): void {
    this.disarm();
    this.deadline = setTimeout(() => {
      this.timedOut = true;
      this.kill();
    }, ms);
  }

  disarm(): void {
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = undefined;
  }

  /** The next frame, or JailFailed with the reason the jail stopped answering. */
  async next(): Promise<Frame> {
    let r: IteratorResult<Frame>;
    try {
      r = await this.frames.next();
    } catch {
      this.kill();
      throw new JailFailed(this.timedOut ? 'SANDBOX_TIMEOUT' : 'SANDBOX_BAD_ANSWER');
    }
    if (!r.done) return r.value;
    throw new JailFailed(await this.why());
  }

  async control(): Promise<Record<string, unknown>> {
    const f = await this.next();
    if (f.kind !== 'control') throw this.broken();
    return f.msg;
  }

  send(msg: Record<string, unknown>): Promise<void> {
    return sendControl(this.child.stdin!, msg);
  }

  sendBytes(data: Buffer): Promise<void> {
    return sendBytes(this.child.stdin!, data);
  }

  /** The jail said something it may not: killed, and the file is not believed. */
  broken(): JailFailed {
    this.kill();
    return new JailFailed('SANDBOX_BAD_ANSWER');
  }

  /** Kills the whole jail: bwrap's PID-namespace init goes, and the kernel takes the rest. */
  kill(): void {
    this.killed = true;
    this.disarm();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    this.child.stdin!.destroy();
  }

  /** Kills the jail and waits until it is gone. */
  async destroy(): Promise<void> {
    this.kill();
    await this.exited;
    this.child.stdout!.destroy();
    this.child.stderr!.destroy();
  }

  private async why(): Promise<JailFailed['code']> {
    const { code } = await this.exited;
    if (this.timedOut) return 'SANDBOX_TIMEOUT';
    // bwrap's init reports a child killed by signal N as exit code 128 + N.
    const signal = code !== null && code > 128 ? code - 128 : null;
    if (signal === SIGXCPU || signal === SIGXFSZ) return 'SANDBOX_LIMIT';
    // RLIMIT_CPU's hard limit is one second past the soft one: SIGKILL from the kernel.
    if (signal === SIGKILL && !this.killed) return 'SANDBOX_LIMIT';
    if (OUT_OF_MEMORY.test(this.stderrTail)) return 'SANDBOX_LIMIT';
    return 'SANDBOX_CRASHED';
  }
}

function firstLine(s: string): string {
  // bwrap's own start-up errors ("bwrap: ...") name a missing feature, never a file's content.
  const line = s.split('\n').find((l) => l.startsWith('bwrap:')) ?? '';
  return line.slice(0, 200);
}
