import { loadConfig } from '../core/config';
import { createPool } from '../core/db';
import { createLogger, errorFields } from '../core/logger';
import { migrate, MigrationError } from './migrate';

// `npm run migrate`: applies pending migrations to DATABASE_URL.
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.LOG_LEVEL, name: 'migrate' });
  const pool = createPool(config.DATABASE_URL, { max: 1 });
  try {
    const applied = await migrate(pool);
    for (const name of applied) log.info('migration.applied', { migration: name });
    log.info('migration.done', { count: applied.length });
  } catch (err) {
    log.error('migration.failed', errorFields(err));
    // Our own message names the migration and says what to do; a database error's may quote
    // values, so only its code is shown.
    if (err instanceof MigrationError) process.stderr.write(`migrate: ${err.message}\n`);
    process.exitCode = 1;
  } finally {
    await pool.end();
  }
}

void main();
