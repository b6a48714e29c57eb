import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../core/logger';
import { composeReviewApp } from '../../../server/compose';
import type { SoriWorker } from '../../../worker/create-worker';
import type { WorkerKeys } from '../../../worker/keys';
import { startTestApp, type TestApp } from '../../support/app';
import {
  startLibreTranslateStub,
  type LibreTranslateStub,
} from '../../support/libretranslate-stub';
import { createTestKeys, startWorker } from '../../support/worker';
import { waitFor as pollUntil } from '../../support/wait';

// The whole system for console tests: the public and review APIs in-process on port 0 over one
// test schema, the worker in-process with the LibreTranslate stub, and `sori` run as a child
// process the way a reviewer runs it (its own SORI_HOME, passphrase from the environment).

const ROOT = join(__dirname, '..', '..', '..');

export interface Stack {
  app: TestApp;
  reviewUrl: string;
  worker: SoriWorker;
  stub: LibreTranslateStub;
  /** The worker's keys; a test sets `enrolment` as an operator sets ENROLMENT_ROOTS_FILE. */
  workerKeys: WorkerKeys;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const app = await startTestApp();
  const review = composeReviewApp({
    pool: app.pool,
    config: app.config,
    log: createLogger({ level: 'silent' }),
  });
  const server: Server = await new Promise((resolve) => {
    const s = review.listen(0, '127.0.0.1', () => resolve(s));
  });
  const stub = await startLibreTranslateStub();
  const keys = await createTestKeys();
  // Registers the intake key (published by the public API) and the custody signing key.
  const worker = await startWorker({
    pool: app.pool,
    prefix: app.prefix,
    keys: keys.keys,
    translatorUrl: stub.url,
  });
  return {
    app,
    reviewUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    worker,
    stub,
    workerKeys: keys.keys,
    async close() {
      await worker.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await stub.close();
      await app.close();
    },
  };
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  json<T = Record<string, unknown>>(): T;
}

export interface SoriUser {
  home: string;
  run(args: string[], env?: Record<string, string>): Promise<Run>;
}

export function tempDir(prefix = 'sori-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export const cleanup = (dirs: string[]): void =>
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));

/** Asynchronous on purpose: the servers answering the child live in this process. */
export function runSori(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'console/main.ts', ...args],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'test',
          SORI_KDF_PARAMS: 'test',
          COLUMNS: '100',
          SORI_DEBUG: '1',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        json<T>() {
          try {
            return JSON.parse(stdout) as T;
          } catch {
            throw new Error(
              `sori ${args.join(' ')}: stdout is not JSON (exit ${code}): ${stdout}\n${stderr}`,
            );
          }
        },
      }),
    );
  });
}

/** A person at their own machine: a SORI_HOME of their own and a passphrase. */
export function soriUser(
  stack: Pick<Stack, 'reviewUrl' | 'app'> | null,
  passphrase: string,
): SoriUser {
  const home = tempDir('sori-home-');
  const base: Record<string, string> = { SORI_HOME: home, SORI_PASSPHRASE: passphrase };
  if (stack) {
    base.SORI_SERVER = stack.reviewUrl;
    base.SORI_INTAKE = stack.app.url;
  }
  return { home, run: (args, env = {}) => runSori(args, { ...base, ...env }) };
}

/** Runs and insists on exit 0, showing stderr when it fails. */
export async function ok(
  user: SoriUser,
  args: string[],
  env?: Record<string, string>,
): Promise<Run> {
  const r = await user.run(args, env);
  if (r.code !== 0)
    throw new Error(`sori ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
  return r;
}

export const waitFor = <T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> => pollUntil(what, probe, timeoutMs, 100);

/** The bootstrap script, as an operator runs it on the server host. */
export function bootstrapAdmin(
  databaseUrl: string,
  name: string,
  box: string,
  sign: string,
  certificate: string[] = [],
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        'server/review/bootstrap-admin.main.ts',
        '--name',
        name,
        // name=value: a base64url key may begin with '-', which would read as an option.
        `--box=${box}`,
        `--sign=${sign}`,
        ...certificate,
      ],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATABASE_URL: databaseUrl },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T }),
    );
  });
}
