import { Client } from 'pg';
import Redis from 'ioredis';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './env';

// Fails the integration tier at once, with a message that says what to do, when Postgres or
// Redis is not there (.ci/run starts them on a machine that lacks them).
export default async function globalSetup(): Promise<void> {
  const pg = new Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await pg.connect();
    await pg.query('SELECT 1');
  } catch {
    throw new Error(
      `Postgres is not reachable at DATABASE_URL (${redact(TEST_DATABASE_URL)}); run \`bash .ci/run\` or start one`,
    );
  } finally {
    await pg.end().catch(() => undefined);
  }
  const redis = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch {
    throw new Error(
      `Redis is not reachable at REDIS_URL (${redact(TEST_REDIS_URL)}); run \`bash .ci/run\` or start one`,
    );
  } finally {
    redis.disconnect();
  }
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
