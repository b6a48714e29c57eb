import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CATALOGUE, wireCode, type ErrorName } from '../../../core/error-catalogue';
import { AppError } from '../../../core/errors';

// Every error is named once, in core/error-catalogue.ts; throw sites name it, never spell it.
// core/ERRORS.md is the catalogue as a table: regenerate with UPDATE_ERRORS_MD=1.

const ROOT = join(__dirname, '..', '..', '..');
const NAMES = Object.keys(ERROR_CATALOGUE) as ErrorName[];

function catalogueTable(): string {
  const rows = NAMES.map((name) => {
    const entry = ERROR_CATALOGUE[name] as { status: number; message: string; shown?: true };
    const shown = entry.status < 500 || entry.shown ? entry.message : '(hidden) ' + entry.message;
    return `| \`${wireCode(name)}\` | ${entry.status} | \`${name}\` | ${shown} |`;
  });
  return [
    '# Error codes',
    '',
    'Every error the HTTP APIs answer with, as `{"error":{"code","message"}}`. Named once in',
    '`core/error-catalogue.ts`; a throw site writes `new AppError(E.NAME)` (or with a message of',
    'its own). This table is generated from the catalogue by `tests/unit/core/error-catalogue.test.ts`',
    '(`UPDATE_ERRORS_MD=1 npx jest tests/unit/core/error-catalogue.test.ts`).',
    '',
    '| Code | Status | Name | Default message |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

describe('the error catalogue', () => {
  it('gives each name one wire code, and a code two statuses at most by two names', () => {
    const pairs = NAMES.map((n) => `${wireCode(n)} ${ERROR_CATALOGUE[n].status}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    const shared = NAMES.filter((n) => wireCode(n) !== n).map(wireCode);
    expect(shared).toEqual(['REVIEWER_REVOKED']);
    for (const code of shared) expect(NAMES).toContain(code);
  });

  it('has only 4xx and 5xx statuses, and shows a 5xx message only where it says so', () => {
    for (const name of NAMES) {
      const { status } = ERROR_CATALOGUE[name];
      expect([name, status >= 400 && status <= 599]).toEqual([name, true]);
      const err = new AppError(name);
      expect([name, err.status, err.code, err.expose]).toEqual([
        name,
        status,
        wireCode(name),
        status < 500 || 'shown' in ERROR_CATALOGUE[name],
      ]);
    }
  });

  it('is what core/ERRORS.md lists', () => {
    const file = join(ROOT, 'core', 'ERRORS.md');
    if (process.env.UPDATE_ERRORS_MD === '1') writeFileSync(file, catalogueTable());
    // prettier pads the table's columns: compare what the cells say.
    const cells = (md: string) => md.replace(/ +/g, ' ').replace(/-{3,}/g, '---');
    expect(cells(readFileSync(file, 'utf8'))).toBe(cells(catalogueTable()));
  });

  it('is the only place an error code is spelt: no AppError is built from a string literal', () => {
    const files = execFileSync('git', ['ls-files', '*.ts'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((f) => /^(server|core|console|worker|crypto|sql|scripts|bench)\//.test(f));
    expect(files.length).toBeGreaterThan(100);
    const literal = /new AppError\(\s*['"`]|extends AppError[\s\S]*?super\(\s*['"`]/;
    const offenders = files.filter((f) => literal.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
