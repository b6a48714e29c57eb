import { Client } from 'pg';
import { loadConfig } from '../core/config';
import { createPool } from '../core/db';
import { createLogger, errorFields } from '../core/logger';
import { where } from '../core/startup-checks';
import { migrate, MigrationError } from './migrate';

// `npm run migrate` (or `node dist/sql/migrate.main.js` where there are no dev dependencies):
// applies pending migrations to DATABASE_URL. With --create, first creates the database
// DATABASE_URL names if it does not exist (a fresh local Postgres has only "postgres").

const DB_NAME = /^[A-Za-z0-9_-]{1,63}$/;

async function createDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!DB_NAME.test(name))
    throw new MigrationError('DATABASE_NAME', 'DATABASE_URL must name a database to create');
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    // An identifier cannot be a parameter; the name is checked against DB_NAME above.
    await client.query(`CREATE DATABASE "${name}"`);
    return true;
  } finally {
    await client.end();
  }
}

async function main(argv: string[]): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.LOG_LEVEL, name: 'migrate' });
  try {
    if (argv.includes('--create') && (await createDatabase(config.DATABASE_URL)))
      log.info('database.created', {});
  } catch (err) {
    log.error('database.create_failed', errorFields(err));
    process.stderr.write(
      err instanceof MigrationError
        ? `migrate: ${err.message}\n`
        : `migrate: could not create the database on ${where(config.DATABASE_URL, 5432)} (DATABASE_URL): check that Postgres runs there and the user may create databases.\n`,
    );
    process.exitCode = 1;
    return;
  }
  const pool = createPool(config.DATABASE_URL, { max: 1 });
  try {
    const applied = await migrate(pool);
    for (const name of applied) log.info('migration.applied', { migration: name });
    log.info('migration.done', { count: applied.length });
  } catch (err) {
    log.error('migration.failed', errorFields(err));
    // Our own message names the migration and says what to do; a database error's may quote
    // values, so only its code is shown.
    const code = (err as { code?: unknown }).code;
    if (err instanceof MigrationError) process.stderr.write(`migrate: ${err.message}\n`);
    else if (code === '3D000')
      process.stderr.write(
        'migrate: the database DATABASE_URL names does not exist: run again with --create.\n',
      );
    else
      process.stderr.write(
        `migrate: failed (${String(code ?? 'ERROR')}); is Postgres up at ${where(config.DATABASE_URL, 5432)} (DATABASE_URL)?\n`,
      );
    process.exitCode = 1;
  } finally {
    await pool.end();
  }
}

void main(process.argv.slice(2));
