import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCrypto } from '../../../crypto';
import { MIGRATIONS_DIR, MigrationError, migrate, readMigrations } from '../../../sql/migrate';
import { createTestDatabase, type TestDatabase } from '../../support/db';

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    await initCrypto();
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(() => db.drop());

  it('apply to an empty schema, and a second run is a no-op', async () => {
    const all = readMigrations().map((m) => m.name);
    expect(all.length).toBeGreaterThan(0);
    expect(await migrate(db.pool)).toEqual(all);
    expect(await migrate(db.pool)).toEqual([]);
    const { rows } = await db.pool.query<{ name: string }>(
      'SELECT name FROM schema_migrations ORDER BY name',
    );
    expect(rows.map((r) => r.name)).toEqual(all);
  });

  it('refuse to go on when an applied migration was edited', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sori-migrations-'));
    try {
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      const first = readMigrations(dir)[0]!;
      const file = join(dir, first.name);
      writeFileSync(file, readFileSync(file, 'utf8') + '\n-- edited\n');
      await expect(migrate(db.pool, dir)).rejects.toMatchObject({
        code: 'MIGRATION_EDITED',
      });
      await expect(migrate(db.pool, dir)).rejects.toBeInstanceOf(MigrationError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('roll a failing migration back whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sori-migrations-'));
    try {
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      writeFileSync(
        join(dir, '999_broken.sql'),
        'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;\n',
      );
      await expect(migrate(db.pool, dir)).rejects.toThrow();
      const { rows } = await db.pool.query(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'half_done'",
        [db.schema],
      );
      expect(rows).toHaveLength(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leave no column that could hold a client address or a precise time of a source', async () => {
    const { rows } = await db.pool.query<{
      table_name: string;
      column_name: string;
      data_type: string;
    }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_schema = $1`,
      [db.schema],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.data_type).not.toMatch(/inet|cidr|macaddr/);
      expect(row.column_name).not.toMatch(/(^|_)(ip|addr|address|user_agent|ua|hostname)($|_)/);
      // Only reviewers' login machinery may know times; sources get days.
      if (/timestamp|time /.test(row.data_type)) {
        expect(['auth_challenges', 'sessions']).toContain(row.table_name);
      }
    }
  });

  it('keep the custody and audit logs append-only', async () => {
    await db.pool.query(`INSERT INTO audit_log (action) VALUES ('test.action')`);
    await expect(db.pool.query('UPDATE audit_log SET action = $1', ['x.y'])).rejects.toThrow(
      /append-only/,
    );
    await expect(db.pool.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
  });

  it('store ciphertext columns uncompressed, as pglz would only try and fail on them', async () => {
    const { rows } = await db.pool.query<{ col: string; storage: string }>(
      `SELECT c.relname || '.' || a.attname AS col, a.attstorage AS storage
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND a.attnum > 0
          AND (c.relname, a.attname) IN (('records', 'body'), ('record_entries', 'body'),
                                         ('submissions', 'manifest'), ('blob_chunks', 'data'))
        ORDER BY 1`,
      [db.schema],
    );
    expect(rows).toEqual(
      ['blob_chunks.data', 'record_entries.body', 'records.body', 'submissions.manifest'].map(
        (col) => ({ col, storage: 'e' }),
      ),
    );
  });

  it("find a submission's claimed uploads by index, not by reading every blob", async () => {
    const client = await db.pool.connect();
    try {
      // Without the planner's fallback the plan shows whether an index can serve the delete
      // the worker runs with each record batch.
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN DELETE FROM blobs
          WHERE kind = 'upload' AND submission_id = ANY('{00000000-0000-4000-8000-000000000001}'::uuid[])`,
      );
      expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/blobs_claimed_uploads/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
