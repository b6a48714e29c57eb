import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { startChild } from '../../worker/jail/jail-child.main';
import type { SanitiseResult } from '../../worker/sanitise/types';

// TEST ONLY. The jail's own program (jail-child.main.ts) with one addition: a file whose text
// starts with `PROBE <escape> <json arg>` is not sanitised; the probe tries that escape from
// inside the jail and answers `unsanitised` with reason PROBE_DONE and what happened as a note
// (names and error codes, never the bytes of anything it managed to read). Any other file is
// sanitised as usual, so the same worker processes real files between escapes. It is started
// by the worker's own sandbox (jail-spawn.ts's bwrap → prlimit → node), with the entry point
// swapped for this file.

type Outcome = Record<string, unknown>;

const code = (err: unknown) => (err as NodeJS.ErrnoException).code ?? String(err);

function tryRead(path: string, canary = ''): Outcome {
  try {
    const data = readFileSync(path);
    return { path, read: data.length, canary: canary !== '' && data.includes(canary) };
  } catch (err) {
    return { path, error: code(err) };
  }
}

function tryWrite(path: string): Outcome {
  try {
    writeFileSync(path, 'escaped');
    return { path, wrote: true };
  } catch (err) {
    return { path, error: code(err) };
  }
}

function tryConnect(port: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ port, connected: true });
    });
    socket.once('error', (err) => resolve({ port, error: code(err) }));
  });
}

async function forkMany(count: number): Promise<Outcome> {
  let started = 0;
  let refused = '';
  const children = [];
  for (let i = 0; i < count && !refused; i += 1) {
    try {
      const child = spawn('/usr/bin/sleep', ['30'], { stdio: 'ignore' });
      const ok = await new Promise<boolean>((resolve) => {
        child.once('spawn', () => resolve(true));
        child.once('error', (err) => {
          refused = code(err);
          resolve(false);
        });
      });
      if (ok) {
        started += 1;
        children.push(child);
      }
    } catch (err) {
      refused = code(err);
    }
  }
  for (const c of children) c.kill('SIGKILL');
  return { started, refused };
}

function allocate(mb: number): Outcome {
  const held: Buffer[] = [];
  try {
    for (let i = 0; i < mb / 64; i += 1) held.push(Buffer.alloc(64 * 1024 * 1024, 1));
    return { allocatedMb: held.length * 64 };
  } catch (err) {
    return { allocatedMb: held.length * 64, error: String((err as Error).name) };
  }
}

function listScratch(root: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    out.push(join(root, e.name));
    if (e.isDirectory()) out.push(...listScratch(join(root, e.name)));
  }
  return out;
}

const ESCAPES: Record<string, (arg: unknown, tmpDir: string) => Promise<Outcome> | Outcome> = {
  env: (arg) => ({
    names: Object.keys(process.env).sort(),
    canary: Object.values(process.env).some((v) => v?.includes(String(arg))),
    environ: tryRead('/proc/self/environ', String(arg)),
  }),
  read: (arg) => {
    const { paths, canary } = arg as { paths: string[]; canary: string };
    return { results: paths.map((p) => tryRead(p, canary)) };
  },
  write: (arg) => ({ results: (arg as string[]).map(tryWrite) }),
  connect: async (arg) => ({
    interfaces: Object.keys(networkInterfaces()),
    results: await Promise.all((arg as number[]).map(tryConnect)),
  }),
  fork: (arg) => forkMany(arg as number),
  allocate: (arg) => allocate(arg as number),
  spin: () => {
    for (;;);
  },
  sleep: () => new Promise(() => setInterval(() => undefined, 1000)),
  crash: () => process.abort(),
  leave: (arg, tmpDir) => {
    writeFileSync(join('/scratch', `left-${String(arg)}`), 'for the next jail');
    writeFileSync(join(tmpDir, `left-${String(arg)}`), 'for the next jail');
    return { left: true };
  },
  whoami: () => ({
    pid: process.pid,
    ppid: process.ppid,
    namespaces: ['pid', 'net', 'mnt', 'user', 'ipc'].map((n) => readlinkSync(`/proc/self/ns/${n}`)),
    // swc's compile caches (HOME and TMPDIR are the scratch) are left out: this jail's own.
    scratch: listScratch('/scratch').filter((p) => !/^\/scratch\/(\.cache|swc-node)/.test(p)),
  }),
};

startChild(async (input, ctx): Promise<SanitiseResult | null> => {
  const text = input.toString('utf8');
  const match = /^PROBE (\w+) (.*)$/s.exec(text);
  if (!match) return null;
  const [, escape = '', arg = 'null'] = match;
  const outcome = await ESCAPES[escape]!(JSON.parse(arg), ctx.tmpDir);
  return {
    status: 'unsanitised',
    reason: 'PROBE_DONE',
    report: {
      format: 'probe',
      removed: [],
      kept: [],
      notes: [JSON.stringify(outcome).slice(0, 500)],
    },
  };
});
