/**
 * The two libsodium builds stay where they belong: the browser bundle carries libsodium.js and
 * never the native addon (nor the Node code that loads it), and the lint rule refuses either
 * library anywhere but its one file in crypto/, however it is loaded.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBrowserBundle } from '../../../browser/build';

const ROOT = join(__dirname, '../../..');

it('the browser bundle has libsodium.js and nothing of sodium-native', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sori-bundle-'));
  try {
    const { inputs } = await buildBrowserBundle(undefined, join(dir, 'app.js'));
    expect(inputs.some((i) => i.includes('node_modules/libsodium-wrappers-sumo/'))).toBe(true);
    expect(inputs).toContain('crypto/sodium-wasm.ts');
    for (const banned of ['sodium-native', 'crypto/backend-node.ts', 'require-addon'])
      expect(inputs.filter((i) => i.includes(banned))).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

describe('the lint rule on libsodium', () => {
  // The real eslint CLI on the project's config (its ESM config does not load inside jest).
  const lint = (file: string, code: string): string[] => {
    const out = spawnSync(
      join(ROOT, 'node_modules/.bin/eslint'),
      ['--format', 'json', '--stdin', '--stdin-filename', file],
      { cwd: ROOT, input: code, encoding: 'utf8' },
    );
    const [result] = JSON.parse(out.stdout) as Array<{
      messages: Array<{ ruleId: string | null }>;
    }>;
    return result!.messages.map((m) => m.ruleId ?? 'parse');
  };
  const STATIC = (name: string): string =>
    `import * as ${name.replace(/\W/g, '_')} from '${name}';\n`;
  const ALL_LOADS = ['sodium-native', 'libsodium-wrappers-sumo']
    .map(
      (name) =>
        STATIC(name) +
        `export const a${name.length} = import('${name}');\n` +
        `// eslint-disable-next-line @typescript-eslint/no-require-imports\n` +
        `export const b${name.length} = require('${name}');\n`,
    )
    .join('');
  const restricted = (rules: string[]): string[] =>
    rules.filter((r) => r.startsWith('no-restricted'));

  it('refuses both builds outside crypto/, imported, import()ed or require()d', () => {
    expect(restricted(lint('server/probe.ts', ALL_LOADS))).toHaveLength(6);
    const inCrypto = STATIC('sodium-native') + STATIC('libsodium-wrappers-sumo');
    expect(restricted(lint('crypto/keys.ts', inCrypto))).toHaveLength(2);
    // Each backend file may import its own build, and only that.
    expect(restricted(lint('crypto/sodium-native.ts', inCrypto))).toHaveLength(1);
    expect(restricted(lint('crypto/sodium-wasm.ts', inCrypto))).toHaveLength(1);
  }, 60_000);
});
