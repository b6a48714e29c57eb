import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

// The stack's children with one log stream: each line prefixed with its process's name, pino's
// JSON shown as "level event key=value" so that a person can read it while it runs.

const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

export function readable(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const {
      level,
      event,
      name: _name,
      day: _day,
      msg: _msg,
      ...rest
    } = JSON.parse(line) as Record<string, unknown>;
    const fields = Object.entries(rest).map(([k, v]) => `${k}=${String(v)}`);
    return [LEVELS[Number(level)] ?? String(level), String(event ?? ''), ...fields].join(' ');
  } catch {
    return line;
  }
}

export interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<number>;
  output(): string;
  stop(): void;
}

export function startChild(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  write: (line: string) => void,
): Child {
  const child = spawn(process.execPath, args, {
    cwd,
    env,
    // The terminal's process group: Ctrl-C reaches each child as well as the orchestrator,
    // and closing the terminal ends them all.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const pad = name.padEnd(10);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      out += `${line}\n`;
      write(`${pad}| ${readable(line)}`);
    });
  }
  const exited = new Promise<number>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))),
  );
  return {
    name,
    process: child,
    exited,
    output: () => out,
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}

/** Runs a one-shot step to completion, its lines in the log stream; rejects on failure. */
export async function runStep(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  write: (line: string) => void,
  command = process.execPath,
): Promise<void> {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const pad = name.padEnd(10);
  for (const stream of [child.stdout, child.stderr])
    createInterface({ input: stream }).on('line', (line) => write(`${pad}| ${readable(line)}`));
  const code = await new Promise<number>((resolve) =>
    child.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))),
  );
  if (code !== 0) throw new Error(`${name} failed (exit ${code}); its output is above`);
}
