import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import Redis from 'ioredis';
import { Client } from 'pg';
import { ROOT } from './children';
import { BENCH_DATABASE_URL, BENCH_REDIS_URL } from './env';

// The machine the figures belong to: they mean nothing without it.

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  postgres: string;
  postgresSettings: string;
  redis: string;
  redisSettings: string;
  commit: string;
  date: string;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':').slice(1).join(':').trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown';
}

function gitCommit(): string {
  try {
    const head = execSync('git rev-parse --short HEAD', {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
    const dirty = execSync('git status --porcelain', {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return 'unknown';
  }
}

export async function describeMachine(): Promise<Machine> {
  const pg = new Client({ connectionString: BENCH_DATABASE_URL });
  await pg.connect();
  const setting = async (name: string): Promise<string> =>
    (await pg.query<{ v: string }>(`SELECT current_setting($1) AS v`, [name])).rows[0]?.v ?? '?';
  const postgres = await setting('server_version');
  const postgresSettings = `synchronous_commit=${await setting('synchronous_commit')}, fsync=${await setting('fsync')}, shared_buffers=${await setting('shared_buffers')}`;
  await pg.end();

  const redis = new Redis(BENCH_REDIS_URL, { maxRetriesPerRequest: 1 });
  const info = await redis.info('server');
  const aof = (await redis.config('GET', 'appendonly').catch(() => [])) as string[];
  const fsync = (await redis.config('GET', 'appendfsync').catch(() => [])) as string[];
  redis.disconnect();

  return {
    cpu: cpuModel(),
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres,
    postgresSettings,
    redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
    redisSettings: `appendonly=${aof[1] ?? '?'}, appendfsync=${fsync[1] ?? '?'}`,
    commit: gitCommit(),
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}
