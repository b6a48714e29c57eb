import { ConfigError, loadConfig } from '../core/config';
import { createPool } from '../core/db';
import { createLogger, errorFields } from '../core/logger';
import { listActiveReviewerRows } from '../core/repositories/reviewer.repository';
import { checkPostgres, checkRedis, StartupError } from '../core/startup-checks';
import { initCrypto } from '../crypto';
import { createWorker } from './create-worker';
import { JailUnavailable } from './jail/jail';
import { stopExiftool } from './sanitise/exiftool';
import { loadWorkerKeys } from './keys';
import { registerWorkerKeys } from './register-keys';
import { createTranslator } from './translate';
import { translatorConfig } from './translator-config';

// The worker process: the only place a testimony is ever plaintext, and only in memory.

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.LOG_LEVEL, name: 'sori-worker' });
  await initCrypto();
  const keys = loadWorkerKeys(config);
  const db = createPool(config.DATABASE_URL, { max: config.DATABASE_POOL_SIZE });
  try {
    await checkPostgres(db, config.DATABASE_URL);
    await checkRedis(config.REDIS_URL);
  } catch (err) {
    await db.end().catch(() => undefined);
    throw err;
  }
  await registerWorkerKeys(db, keys, log);
  const worker = createWorker({
    config,
    db,
    log,
    keys,
    translator: createTranslator(translatorConfig(config)),
  });

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info('worker.stopping', { signal });
    // A job that will not finish in time is left to stall and be retried elsewhere: its
    // result is stored at most once either way.
    setTimeout(() => {
      log.error('worker.shutdown_deadline', { durationMs: config.SHUTDOWN_DEADLINE_MS });
      process.exit(1);
    }, config.SHUTDOWN_DEADLINE_MS).unref();
    void (async () => {
      await worker.close();
      await stopExiftool();
      await db.end();
      log.info('worker.stopped', { signal });
      process.exit(0);
    })().catch((err) => {
      log.error('worker.shutdown_failed', errorFields(err));
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  await worker.start();
  log.info('worker.started', { queue: worker.queue.name, count: keys.intake.length });
  // Without roots, anyone who can write the reviewers table can enrol a reader of every record.
  if (!keys.enrolment.enforced) log.warn('worker.enrolment_unchecked', {});
  else {
    const rows = await listActiveReviewerRows(db);
    const certified = keys.enrolment.trusted(rows).length;
    log.info('worker.enrolment_checked', { count: certified });
    // Rows no record key will go to: an operator should certify or revoke them.
    if (certified < rows.length)
      log.warn('worker.reviewers_uncertified', { count: rows.length - certified });
  }
}

main().catch((err: unknown) => {
  // A config error names the variable and never its value; anything else: class and code only.
  // A jail that cannot start says why in bwrap's words (a missing namespace, never a file).
  const detail =
    err instanceof ConfigError || err instanceof StartupError
      ? err.message
      : err instanceof JailUnavailable
        ? `${err.message}; files are parsed only in a jail (see worker/jail/README.md). ` +
          'For development only, SANDBOX=none-development-only parses them in the worker.'
        : JSON.stringify(errorFields(err));
  process.stderr.write(`sori-worker: failed to start: ${detail}\n`);
  process.exit(1);
});
