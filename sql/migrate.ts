import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { initCrypto, sha256Hex } from '../crypto';
import { withTransaction } from '../core/db';

export const MIGRATIONS_DIR = join(__dirname, 'migrations');

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'MigrationError';
    this.code = code;
  }
}

/** Migrations are plain SQL files named NNN_description.sql, applied in name order. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name), 'utf8');
      return { name, sql, checksum: sha256Hex(sql) };
    });
}

/**
 * Applies every migration not yet applied, each in its own transaction, and refuses to go on
 * if an applied migration's file was edited since (a changed migration means two databases
 * that claim the same version but differ).
 */
export async function migrate(pool: Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  await initCrypto();
  const migrations = readMigrations(dir);
  await pool.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY,
    checksum text NOT NULL,
    applied_on date NOT NULL DEFAULT current_date
  )`);
  const applied: string[] = [];
  for (const migration of migrations) {
    const done = await withTransaction(pool, async (tx) => {
      // One migrator at a time, whatever the number of processes starting together.
      await tx.query('SELECT pg_advisory_xact_lock(7343520501)');
      const { rows } = await tx.query<{ checksum: string }>(
        'SELECT checksum FROM schema_migrations WHERE name = $1',
        [migration.name],
      );
      const existing = rows[0];
      if (existing) {
        if (existing.checksum !== migration.checksum) {
          throw new MigrationError(
            'MIGRATION_EDITED',
            `Migration ${migration.name} was edited after it was applied; add a new migration instead`,
          );
        }
        return false;
      }
      await tx.query(migration.sql);
      await tx.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [
        migration.name,
        migration.checksum,
      ]);
      return true;
    });
    if (done) applied.push(migration.name);
  }
  return applied;
}

/** Names of the migrations on disk not yet applied (all of them on an empty database). */
export async function pendingMigrations(pool: Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  await initCrypto();
  const names = readMigrations(dir).map((m) => m.name);
  const exists = await pool.query<{ t: string | null }>(
    `SELECT to_regclass('schema_migrations')::text AS t`,
  );
  if (!exists.rows[0]?.t) return names;
  const { rows } = await pool.query<{ name: string }>('SELECT name FROM schema_migrations');
  const applied = new Set(rows.map((r) => r.name));
  return names.filter((n) => !applied.has(n));
}
