import Redis from 'ioredis';
import type { Pool } from 'pg';
import { pendingMigrations } from '../sql/migrate';

// What the server and the worker check before they start, so that a newcomer's first mistake
// reads as one sentence naming the setting and the fix, not "(3D000)" or "(ECONNREFUSED)".
// Messages name hosts and ports, never a password or any other part of a URL's userinfo.

export class StartupError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'StartupError';
    this.code = code;
  }
}

/** host:port of a URL, without user, password, path or query. */
export function where(url: string, defaultPort: number): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || defaultPort}`;
  } catch {
    return 'the configured address';
  }
}

const databaseName = (url: string): string => {
  try {
    return decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres';
  } catch {
    return 'the database';
  }
};

/** Postgres answers, the database exists and every migration on disk is applied. */
export async function checkPostgres(pool: Pool, url: string): Promise<void> {
  const at = where(url, 5432);
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === '3D000')
      throw new StartupError(
        'DATABASE_MISSING',
        `The database "${databaseName(url)}" named in DATABASE_URL does not exist on ${at}: create it with \`npm run migrate -- --create\` (or \`node dist/sql/migrate.main.js --create\`).`,
      );
    if (code === '28P01' || code === '28000')
      throw new StartupError(
        'DATABASE_LOGIN_REFUSED',
        `Postgres on ${at} refused the user or password in DATABASE_URL: fix them in DATABASE_URL.`,
      );
    throw new StartupError(
      'DATABASE_UNREACHABLE',
      `Postgres is not reachable at ${at} (DATABASE_URL): start Postgres there (scripts/ensure-services.sh does on Debian) or point DATABASE_URL at a running one.`,
    );
  }
  const pending = await pendingMigrations(pool);
  if (pending.length > 0)
    throw new StartupError(
      'DATABASE_NOT_MIGRATED',
      `The database in DATABASE_URL lacks ${pending.length} migration(s) (first: ${pending[0]}): run \`npm run migrate\` (or \`node dist/sql/migrate.main.js\`) and start again.`,
    );
}

/** Redis answers and will never evict a key: an evicted BullMQ key is a lost or stuck job. */
export async function checkRedis(url: string): Promise<void> {
  const at = where(url, 6379);
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    try {
      await redis.connect();
    } catch {
      throw new StartupError(
        'REDIS_UNREACHABLE',
        `Redis is not reachable at ${at} (REDIS_URL): start redis-server there or point REDIS_URL at a running one.`,
      );
    }
    let info = '';
    try {
      info = await redis.info('memory');
    } catch {
      // INFO refused (an ACL): the operator vouches for the policy.
      return;
    }
    const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
    if (policy !== undefined && policy !== 'noeviction')
      throw new StartupError(
        'REDIS_EVICTS',
        `Redis at ${at} (REDIS_URL) has maxmemory-policy ${policy}, which can drop queued jobs: set \`maxmemory-policy noeviction\` in its configuration (or \`redis-cli -h ${at.split(':')[0]} config set maxmemory-policy noeviction\`).`,
      );
  } finally {
    redis.disconnect();
  }
}
