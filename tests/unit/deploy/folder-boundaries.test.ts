/**
 * DESIGN.md's folder boundaries as lint rules: each forbidden import is reported at a file of
 * that folder, and the imports the layering allows are not.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');

interface Case {
  file: string;
  code: string;
}

// The project's own config through ESLint's API, in one child (its ESM config does not load
// inside jest): each snippet is linted as if it were the named file.
const LINT_ALL = `
import { ESLint } from 'eslint';
const cases = JSON.parse(await new Promise((done) => {
  let s = '';
  process.stdin.on('data', (d) => (s += d)).on('end', () => done(s));
}));
const eslint = new ESLint({ cwd: process.cwd() });
const out = [];
for (const c of cases) {
  const [r] = await eslint.lintText(c.code, { filePath: c.file });
  out.push(r.messages.map((m) => m.ruleId ?? 'parse: ' + m.message));
}
process.stdout.write(JSON.stringify(out));
`;

function lintAll(cases: Case[]): string[][] {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', LINT_ALL], {
    cwd: ROOT,
    input: JSON.stringify(cases.map((c) => ({ ...c, file: join(ROOT, c.file) }))),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as string[][];
}

const use = (from: string, name = 'm'): string =>
  `import * as ${name} from '${from}';\nexport const ${name}x = ${name};\n`;
const useType = (from: string): string => `import type { T } from '${from}';\nexport type U = T;\n`;

const FORBIDDEN: Case[] = [
  { file: 'console/probe.ts', code: use('../worker/build-record-body') },
  { file: 'console/probe.ts', code: useType('../worker/sanitise/types') },
  { file: 'console/desk/probe.ts', code: use('../../worker/jail/sandbox') },
  { file: 'console/probe.ts', code: use('../server/app') },
  { file: 'console/commands/probe.ts', code: use('../../server/review/services/x') },
  { file: 'server/probe.ts', code: use('../worker/jobs/job-handlers') },
  { file: 'server/review/probe.ts', code: useType('../../worker/sanitise/types') },
  { file: 'core/probe.ts', code: use('../server/app') },
  { file: 'core/probe.ts', code: use('../worker/keys') },
  { file: 'core/repositories/probe.ts', code: use('../../console/records') },
  { file: 'core/probe.ts', code: useType('../browser/answers') },
  { file: 'crypto/probe.ts', code: use('../core/logger') },
  { file: 'crypto/probe.ts', code: useType('../worker/record-body') },
  { file: 'crypto/sodium-native.ts', code: use('../core/config') },
  { file: 'crypto/sodium-wasm.ts', code: use('../core/config') },
];

const ALLOWED: Case[] = [
  { file: 'console/probe.ts', code: use('../core/record/record-body') },
  {
    file: 'console/desk/probe.ts',
    code: use('../../crypto') + use('../records', 'n'),
  },
  { file: 'server/probe.ts', code: use('../core/queue') + use('../crypto', 'n') },
  { file: 'worker/probe.ts', code: use('../core/db') + use('../crypto', 'n') },
  { file: 'worker/jail/probe.ts', code: use('../sanitise/media') },
  {
    file: 'core/probe.ts',
    code: use('../crypto') + use('./record/answer-value', 'n'),
  },
  { file: 'crypto/probe.ts', code: use('./sodium') + use('node:crypto', 'n') },
  // A package whose path has a folder of a forbidden name is not the project's folder.
  { file: 'console/probe.ts', code: use('react-dom/server') },
];

describe('folder boundaries (eslint no-restricted-imports)', () => {
  const results = lintAll([...FORBIDDEN, ...ALLOWED]);

  it.each(FORBIDDEN.map((c, i) => [c.file, c.code.split("'")[1], i] as const))(
    'reports %s importing %s',
    (_file, _from, i) => {
      expect(results[i]).toEqual(['no-restricted-imports']);
    },
  );

  it.each(ALLOWED.map((c, i) => [c.file, c.code.split("'")[1], FORBIDDEN.length + i] as const))(
    'allows %s importing %s',
    (_file, _from, i) => {
      expect(results[i]).toEqual([]);
    },
  );
});
