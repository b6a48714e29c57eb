import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_KEYS } from '../../../core/config';

// An operator learns the settings from the README: every variable core/config.ts reads has a
// row in its Configuration table, and the README links nothing outside the repository.

const README = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
const table = README.slice(README.indexOf('## Configuration'));

describe('README', () => {
  it.each(CONFIG_KEYS.map((k) => [k]))('documents %s in the configuration table', (key) => {
    expect(table).toMatch(new RegExp(`^\\|[^\\n]*\`${key}\``, 'm'));
  });

  it('links only to files in the repository', () => {
    const links = [...README.matchAll(/\]\(([^)#]+)[^)]*\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      if (/^https?:/.test(link)) continue;
      expect([link, readFileSync(join(__dirname, '..', '..', '..', link)).length > 0]).toEqual([
        link,
        true,
      ]);
    }
  });
});
