import { padEnd, stringWidth, truncate } from './width';

// Plain aligned columns (no box drawing: output is pasted into reports and chat).

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  /** Cap for this column; longer cells are cut with an ellipsis. */
  max?: number;
}

export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) =>
    columns.map((c) => {
      const v = c.value(r).replace(/\s+/g, ' ');
      return c.max ? truncate(v, c.max) : v;
    }),
  );
  const widths = columns.map((c, i) =>
    Math.max(stringWidth(c.header), ...cells.map((row) => stringWidth(row[i]!))),
  );
  const line = (values: readonly string[]): string =>
    values
      .map((v, i) => (i === values.length - 1 ? v : padEnd(v, widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n');
}

/** "key: value" lines with the keys aligned. */
export function renderPairs(pairs: ReadonlyArray<readonly [string, string]>): string {
  const w = Math.max(0, ...pairs.map(([k]) => stringWidth(k)));
  return pairs.map(([k, v]) => `${padEnd(`${k}:`, w + 1)} ${v}`).join('\n');
}
