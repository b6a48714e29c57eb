import { Pool, type PoolClient, type PoolConfig } from 'pg';

export type Db = Pool;
export type Tx = PoolClient;
/** Anything that can run a query: the pool or a client inside a transaction. */
export type Queryable = Pick<Pool, 'query'> | Pick<PoolClient, 'query'>;

export function createPool(
  url: string,
  options: { max?: number; schema?: string; statementTimeoutMs?: number } = {},
): Pool {
  const config: PoolConfig = {
    connectionString: url,
    max: options.max ?? 10,
    // A hung database must not hold requests and jobs until their own timeouts.
    connectionTimeoutMillis: 5_000,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    // Tests put each file in its own schema; production uses the default search_path.
    options: options.schema ? `-c search_path=${options.schema}` : undefined,
  };
  const pool = new Pool(config);
  // An idle client's error must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Runs fn in one transaction: commit on success, roll back on any error. With
 * `{ fnBegins: true }`, fn sends BEGIN itself (in its first query, saving a round trip).
 */
export async function withTransaction<T>(
  pool: Pool,
  fn: (tx: Tx) => Promise<T>,
  options: { fnBegins?: boolean } = {},
): Promise<T> {
  const client = await pool.connect();
  try {
    if (!options.fnBegins) await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A UUID in canonical (lower-case) text form. */
export const isUuid = (value: string): boolean => UUID.test(value);

/**
 * A UUID as an SQL literal, for the few statements that cannot take parameters (a
 * multi-statement simple query, COPY): checked, lower-cased and quoted, or refused.
 */
export function uuidLiteral(id: string, caller: string): string {
  const lower = id.toLowerCase();
  if (!UUID.test(lower)) throw new Error(`${caller}: not a UUID`);
  return `'${lower}'`;
}
