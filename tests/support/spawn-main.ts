import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

// A real server or worker process (its main.ts, as operators start it) for tests of start-up
// and shutdown: exit codes, the one-sentence errors, signals.

const ROOT = join(__dirname, '..', '..');

export interface SpawnedMain {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves once the output contains pattern; rejects if the process exits first. */
  waitFor(pattern: string, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): void;
}

export function spawnMain(
  entry: 'server/main.ts' | 'worker/main.ts',
  env: Record<string, string>,
): SpawnedMain {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', entry], {
    cwd: ROOT,
    // Only what the test passes (and PATH): nothing leaks in from the runner's environment.
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => out,
    exited,
    async waitFor(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!out.includes(pattern)) {
        if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline)
          throw new Error(`${entry}: no "${pattern}" in output:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
