import type { Pool } from 'pg';
import { toBase64, toHex, type Bytes } from '../../../crypto';
import { waitFor as pollUntil } from '../../support/wait';

// Reads every column of every table in a test schema, for searches of what must never be stored.

export interface DumpedValue {
  where: string;
  value: unknown;
}

export async function dumpSchema(
  pool: Pool,
  schema: string,
): Promise<{ tables: string[]; values: DumpedValue[] }> {
  const { rows: cols } = await pool.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = $1 AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position`,
    [schema],
  );
  const tables = [...new Set(cols.map((c) => c.table_name))];
  const values: DumpedValue[] = [];
  for (const table of tables) {
    const { rows } = await pool.query<Record<string, unknown>>(`SELECT * FROM ${schema}.${table}`);
    rows.forEach((row, i) => {
      for (const c of cols.filter((x) => x.table_name === table)) {
        values.push({ where: `${table}[${i}].${c.column_name}`, value: row[c.column_name] });
      }
    });
  }
  return { tables, values };
}

/** The secret's bytes inside a binary value, or its hex / base64url / base64 spelling in any text. */
export function holdsSecret(value: unknown, secret: Bytes): boolean {
  if (value === null || value === undefined) return false;
  if (Buffer.isBuffer(value) && value.includes(Buffer.from(secret))) return true;
  const text = Buffer.isBuffer(value)
    ? value.toString('latin1')
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);
  const base64s = [toBase64(secret), Buffer.from(secret).toString('base64').replace(/=+$/, '')];
  return text.toLowerCase().includes(toHex(secret)) || base64s.some((s) => text.includes(s));
}

export const waitFor = <T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> => pollUntil(what, probe, timeoutMs, 50);
