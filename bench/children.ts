import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

// The processes under test run as children, each on its own event loop, so the load generator
// (autocannon, pg clients, pollers in this process) does not share one with them.

export const ROOT = resolve(__dirname, '..');
const TAIL_BYTES = 4000;

export interface Child {
  name: string;
  proc: ChildProcess;
  /** Last bytes of stdout and stderr, for a crash report. */
  tail(): string;
  exited(): boolean;
  stop(): Promise<void>;
}

/**
 * Starts `node -r @swc-node/register <entry>` with NODE_ENV=production and only the given env
 * (plus PATH) and `nodeArgs` before the entry. BENCH_CPU_PROF=<name> profiles the child of that
 * name (written on exit).
 */
export function startChild(
  name: string,
  entry: string,
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): Child {
  const path = join(ROOT, entry);
  if (!existsSync(path)) throw new Error(`${entry} does not exist yet`);
  const execArgv = ['-r', '@swc-node/register', ...nodeArgs];
  if (process.env.BENCH_CPU_PROF === name) {
    const dir = join(ROOT, 'bench', '.profiles');
    mkdirSync(dir, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  }
  const proc = spawn(process.execPath, [...execArgv, path], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      ...backendEnv(),
      ...env,
      ...extraEnv(name),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer): void => {
    out = (out + chunk.toString('utf8')).slice(-TAIL_BYTES);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  let done = false;
  const exit = new Promise<void>((r) => proc.once('exit', () => ((done = true), r())));
  return {
    name,
    proc,
    tail: () => out.trim(),
    exited: () => done,
    async stop() {
      if (done) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 12_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** The bench's libsodium build (SORI_CRYPTO_BACKEND) goes to the processes under test too. */
function backendEnv(): Record<string, string> {
  const b = process.env.SORI_CRYPTO_BACKEND;
  return b ? { SORI_CRYPTO_BACKEND: b } : {};
}

/**
 * BENCH_ENV_<NAME>="A=1 B=2" adds env to the child of that name (server, worker), to try a
 * setting such as DATABASE_POOL_SIZE without editing the bench. A full run notes it in the report.
 */
export function extraEnv(name: string): Record<string, string> {
  const spec = process.env[`BENCH_ENV_${name.toUpperCase().replace(/-/g, '_')}`];
  if (!spec) return {};
  return Object.fromEntries(
    spec
      .split(/\s+/)
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
}

/** A port free right now on 127.0.0.1 (the child binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/** Waits until `url` answers with `status` (any status if omitted); fails if the child dies. */
export async function waitForHttp(
  child: Child,
  url: string,
  status?: number,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exited())
      throw new Error(`${child.name} exited during start: ${child.tail().slice(-600)}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (status === undefined || res.status === status) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${child.name} not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Runs a bench entry that measures and reports one value over IPC, in a fresh process: its
 * figures are then free of whatever this process's heap holds from the sections before. The
 * child inherits this environment and stdout (for its progress lines).
 */
export function measureInChild<T>(entry: string, env: Record<string, string> = {}): Promise<T> {
  const child = fork(join(ROOT, entry), [], {
    cwd: ROOT,
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, ...env },
  });
  return new Promise<T>((resolve, reject) => {
    let answer: { value: T } | { error: string } | undefined;
    child.once('message', (m) => (answer = m as typeof answer));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (answer && 'value' in answer) resolve(answer.value);
      else reject(new Error(answer?.error ?? `${entry} exited (${code}) without a result`));
    });
  });
}

/** The child's side: measures once, sends the value (or the error's message), exits. */
export function reportToParent<T>(measure: () => Promise<T>): void {
  measure().then(
    (value) => process.send?.({ value }, () => process.exit(0)),
    (err: unknown) =>
      process.send?.({ error: err instanceof Error ? err.message : String(err) }, () =>
        process.exit(1),
      ),
  );
}
