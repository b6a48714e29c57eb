// Where the bench finds Postgres and Redis: the same defaults as the integration tests.
export const BENCH_DATABASE_URL =
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const BENCH_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Seconds for each measured autocannon / pg run, and for the warm-up before it. */
export const RUN_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
export const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
export const HTTP_CONNECTIONS = 50;
export const PG_CONCURRENCY = 20;
export const DRAIN_COUNT = Number(process.env.BENCH_DRAIN_COUNT ?? 2000);
export const LATENCY_RATE = 50; // submissions per second
export const LATENCY_SECONDS = 20;
