import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Pool } from 'pg';
import { createLogger, silentLogger, type Logger } from '../../core/logger';
import { TRUST_DATABASE } from '../../worker/enrolment-trust';
import {
  generateBoxKeyPair,
  generateSignKeyPair,
  initCrypto,
  toBase64,
  type BoxKeyPair,
} from '../../crypto';
import { createWorker, type SoriWorker, type WorkerConfig } from '../../worker/create-worker';
import { parseIntakeKeys, parseWorkerKey, type WorkerKeys } from '../../worker/keys';
import { registerWorkerKeys } from '../../worker/register-keys';
import { createTranslator } from '../../worker/translate';
import type { FileDeps } from '../../worker/attachments/file-deps';
import type { Sandbox } from '../../worker/jail/sandbox.types';
import type { JobContext } from '../../worker/jobs/job-context';
import { TEST_REDIS_URL } from './env';

// The worker for integration tests: in-process (startWorker) for most, or as a child process
// (spawnWorker) where a test must kill it. Both capture every log line for canary checks.

const ROOT = join(__dirname, '..', '..');

export interface TestKeys {
  intake: BoxKeyPair;
  /** The JSON the worker reads from INTAKE_SECRET_KEY / WORKER_KEY. */
  intakeJson: string;
  workerJson: string;
  keys: WorkerKeys;
}

export async function createTestKeys(): Promise<TestKeys> {
  await initCrypto();
  const pair = (kp: { publicKey: Uint8Array; secretKey: Uint8Array }) => ({
    publicKey: toBase64(kp.publicKey),
    secretKey: toBase64(kp.secretKey),
  });
  const intake = generateBoxKeyPair();
  const intakeJson = JSON.stringify({ format: 'sori-intake-key', v: 1, ...pair(intake) });
  const workerJson = JSON.stringify({
    format: 'sori-worker-key',
    v: 1,
    box: pair(generateBoxKeyPair()),
    sign: pair(generateSignKeyPair()),
  });
  const intakeKeys = parseIntakeKeys(intakeJson, 'INTAKE_SECRET_KEY');
  const keys: WorkerKeys = {
    intake: intakeKeys,
    intakeById: new Map(intakeKeys.map((k) => [k.id, k])),
    enrolment: TRUST_DATABASE,
    worker: parseWorkerKey(workerJson, 'WORKER_KEY'),
  };
  return { intake, intakeJson, workerJson, keys };
}

/** A pino destination that keeps every line in memory. */
export function captureLogs(level = 'debug'): { log: Logger; text(): string } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { log: createLogger({ level, name: 'sori-worker' }, sink), text: () => lines.join('') };
}

export interface StartWorkerOptions {
  pool: Pool;
  prefix: string;
  keys: WorkerKeys;
  redisUrl?: string;
  /** LibreTranslate URL; none means TRANSLATOR=none. */
  translatorUrl?: string;
  log?: Logger;
  config?: Partial<WorkerConfig>;
  /** A sandbox other than the configured one (the jail escape probe). */
  sandbox?: Sandbox;
  /** false: do not wait until connected (Redis may be down on purpose). */
  awaitStart?: boolean;
}

export async function startWorker(options: StartWorkerOptions): Promise<SoriWorker> {
  const log = options.log ?? createLogger({ level: 'silent' });
  await initCrypto();
  await registerWorkerKeys(options.pool, options.keys, log);
  const config: WorkerConfig = {
    REDIS_URL: options.redisUrl ?? TEST_REDIS_URL,
    QUEUE_PREFIX: options.prefix,
    WORKER_CONCURRENCY: 4,
    WORKER_LOCK_DURATION_MS: 30_000,
    WORKER_STALLED_INTERVAL_MS: 10_000,
    JOB_ATTEMPTS: 5,
    JOB_BACKOFF_MS: 100,
    TRANSLATE_RETRY_MS: 200,
    ...options.config,
  };
  const translator = options.translatorUrl
    ? createTranslator({
        engine: 'libretranslate',
        url: options.translatorUrl,
        timeoutMs: 5000,
        retries: 1,
        backoffMs: 10,
      })
    : null;
  const worker = createWorker({
    config,
    db: options.pool,
    log,
    keys: options.keys,
    translator,
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
  });
  const started = worker.start();
  if (options.awaitStart === false) started.catch(() => undefined);
  else await started;
  return worker;
}

export interface SpawnedWorker {
  child: ChildProcess;
  /** Everything the child wrote to stdout and stderr so far. */
  output(): string;
  waitForOutput(pattern: string, timeoutMs?: number): Promise<void>;
  /** SIGTERM (graceful) unless told otherwise; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnWorker(env: Record<string, string>): SpawnedWorker {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'worker/main.ts'], {
    cwd: ROOT,
    // A clean environment: only what the test passes, so nothing leaks in from the runner.
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'debug', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return {
    child,
    output: () => out,
    async waitForOutput(pattern, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!out.includes(pattern)) {
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`worker child: no "${pattern}" (exit ${String(child.exitCode)})`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** What a job handler gets when a test calls it directly: no translator, no queue. */
export function directJobContext(pool: Pool, keys: WorkerKeys, files?: FileDeps): JobContext {
  return {
    db: pool,
    log: silentLogger,
    keys,
    translator: null,
    translateRetryMs: 1000,
    enqueue: async () => undefined,
    ...(files ? { files } : {}),
  };
}
