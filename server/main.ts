import type { Server } from 'node:http';
import { ConfigError, loadConfig } from '../core/config';
import { createPool } from '../core/db';
import { createLogger, errorFields, logCryptoBackend, type Logger } from '../core/logger';
import { createProducer, createRedis } from '../core/queue';
import { cryptoBackend, initCrypto } from '../crypto';
import { composeServer } from './compose';
import { createAbuseGuards } from './pow/abuse-guards';
import { closeListener, startReviewListener } from './review/listener';
import { createBatchedMarker } from './intake/outbox';
import { checkPostgres, checkRedis, StartupError } from '../core/startup-checks';
import { intakeKeyCheck, postgresCheck, redisCheck, schemaCheck } from './health/readiness.service';
import { createSweeper } from './sweeper';

// Starts the public intake listener and the outbox sweeper; stops them in order on a signal.
// The review listener (REVIEW_HOST:REVIEW_PORT) starts after it and closes first.

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.LOG_LEVEL, name: 'sori-server' });
  // Signals are caught from the start: one that arrives while the listeners are still coming up
  // is acted on as soon as there is something to stop in order, never by the default kill.
  let shutdown: ((signal: string) => void) | null = null;
  let early: string | null = null;
  const onSignal = (signal: string) => (shutdown ? shutdown(signal) : (early ??= signal));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  await initCrypto();
  logCryptoBackend(log, cryptoBackend());

  const pool = createPool(config.DATABASE_URL, { max: config.DATABASE_POOL_SIZE });
  // Text submissions are committed on connections of their own: 200 slow uploads committing
  // their chunks can fill `pool`, and a source's 202 must not wait behind them (issue 17).
  const intakePool = createPool(config.DATABASE_URL, { max: config.INTAKE_POOL_SIZE });
  // Refuse to start on what a newcomer gets wrong first, each with its fix (core/startup-checks).
  try {
    await checkPostgres(pool, config.DATABASE_URL);
    await checkRedis(config.REDIS_URL);
  } catch (err) {
    await pool.end().catch(() => undefined);
    await intakePool.end().catch(() => undefined);
    throw err;
  }
  const producer = createProducer({
    redisUrl: config.REDIS_URL,
    prefix: config.QUEUE_PREFIX,
    attempts: config.JOB_ATTEMPTS,
    backoffMs: config.JOB_BACKOFF_MS,
    log,
  });
  const probe = createRedis(config.REDIS_URL, 'probe');
  const readiness = [
    postgresCheck(pool),
    schemaCheck(pool),
    redisCheck(probe),
    intakeKeyCheck(pool),
  ];
  const queuedMarker = createBatchedMarker({ pool, log });
  // Proof of work (POW_REQUIRED, default on in production) and per-receipt budgets: the
  // public app turns them on only when given, as here.
  const abuseRedis = createRedis(config.REDIS_URL, 'producer');
  const guards = createAbuseGuards({ config, redis: abuseRedis, log });
  const composed = composeServer({
    pool,
    intakePool,
    producer,
    config,
    log,
    readiness,
    queuedMarker,
    ...guards,
  });

  const server = composed.publicApp.listen(config.PUBLIC_PORT, config.PUBLIC_HOST);
  // Slow-loris and idle sockets: bounded header, request and keep-alive times.
  server.headersTimeout = config.HEADERS_TIMEOUT_MS;
  // REQUEST_TIMEOUT_MS applies per route (server/http/request-deadline.middleware.ts); the
  // listener's own bound is the no-JS form's, whose streamed files may take many minutes.
  server.requestTimeout = Math.max(config.REQUEST_TIMEOUT_MS, config.NOJS_REQUEST_TIMEOUT_MS);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  log.info('server.listening', { listener: 'public', port: config.PUBLIC_PORT });

  const review = await startReviewListener({ app: composed.reviewApp, config, log });

  const sweeper = createSweeper({
    pool,
    producer,
    log,
    intervalMs: config.SWEEP_INTERVAL_MS,
    trimEvents: () => producer.trimEvents(),
    compactHistory: () => producer.compactHistory(),
    cleanupUploads: composed.cleanupUploads,
  });
  sweeper.start();

  let stopping = false;
  shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('server.stopping', { signal });
    const deadline = setTimeout(() => {
      log.error('server.shutdown_deadline', { code: 'SHUTDOWN_DEADLINE' });
      process.exit(1);
    }, config.SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    stopInOrder(server, log, [
      () => closeListener(review),
      () => sweeper.stop(),
      // Enqueues follow the answers: let those of the last answers reach Redis, then mark them.
      () => composed.services.submissions.enqueuesSettled(),
      () => queuedMarker.stop(),
      () => producer.close(),
      async () => probe.disconnect(),
      async () => abuseRedis.disconnect(),
      () => pool.end(),
      () => intakePool.end(),
    ]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  if (early) shutdown(early);
}

/** HTTP first (no new submissions), then the rest in the order given. */
async function stopInOrder(
  server: Server,
  log: Logger,
  steps: Array<() => Promise<unknown>>,
): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  for (const step of steps) {
    await step().catch((err: unknown) => log.warn('server.stop_step_failed', errorFields(err)));
  }
  log.info('server.stopped');
}

main().catch((err: unknown) => {
  // A config error's message names the variable, never its value; anything else by code only.
  const message =
    err instanceof ConfigError || err instanceof StartupError
      ? err.message
      : `startup failed: ${JSON.stringify(errorFields(err))}`;
  process.stderr.write(`sori-server: ${message}\n`);
  process.exit(1);
});
