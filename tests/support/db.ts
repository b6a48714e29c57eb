import { Client, type Pool } from 'pg';
import { createPool } from '../../core/db';
import { migrate } from '../../sql/migrate';
import { TEST_DATABASE_URL } from './env';
import { randomBytes } from 'node:crypto';

export interface TestDatabase {
  pool: Pool;
  schema: string;
  /** A connection string that lands in this schema, for child processes. */
  url: string;
  drop(): Promise<void>;
}

/** A schema of its own for one test file, migrated, dropped again by drop(). */
export async function createTestDatabase(
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const pool = createPool(TEST_DATABASE_URL, { schema, max: 5 });
  if (options.migrate !== false) await migrate(pool);
  return {
    pool,
    schema,
    url: withSearchPath(TEST_DATABASE_URL, schema),
    async drop() {
      await pool.end();
      const c = new Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}

export function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}
