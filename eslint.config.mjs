import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const LIBSODIUM_WASM = {
  name: 'libsodium-wrappers-sumo',
  message: 'Only crypto/sodium-wasm.ts may import libsodium.js.',
};
const LIBSODIUM_NATIVE = {
  name: 'sodium-native',
  message: 'Only crypto/sodium-native.ts may import sodium-native.',
};
// import('x') and require('x') escape no-restricted-imports; these catch them everywhere.
const SODIUM_LOADS = ['libsodium-wrappers-sumo', 'libsodium-sumo', 'sodium-native'].flatMap(
  (name) => [
    {
      selector: `ImportExpression[source.value='${name}']`,
      message: 'Only crypto/sodium-wasm.ts and crypto/sodium-native.ts load libsodium.',
    },
    {
      selector: `CallExpression[callee.name='require'][arguments.0.value='${name}']`,
      message: 'Only crypto/sodium-wasm.ts and crypto/sodium-native.ts load libsodium.',
    },
  ],
);

// DESIGN.md's folder boundaries, checked on the import string (relative paths, so a parent
// folder of that name): the console never reaches into the worker or server, the server never
// into the worker, core into no app, and crypto into nothing of the project outside crypto/.
const outOf = (folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`;
const BOUNDARIES = {
  console: {
    regex: outOf(['worker', 'server']),
    message: 'console/ never imports worker/ or server/: share through core/ or crypto/.',
  },
  server: {
    regex: outOf(['worker']),
    message: 'server/ never imports worker/: share through core/.',
  },
  core: {
    regex: outOf(['server', 'worker', 'console', 'browser']),
    message: 'core/ imports no app (server, worker, console, browser).',
  },
  crypto: {
    regex: '^\\.\\./',
    message: 'crypto/ imports nothing of the project outside crypto/.',
  },
};
// One rule object per file: a later config object's rule replaces an earlier one whole, so every
// object that sets this rule repeats the libsodium paths it keeps.
const restrictedImports = (paths, folder) => [
  'error',
  folder ? { paths, patterns: [BOUNDARIES[folder]] } : { paths },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'public/**', 'bench/.profiles/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // Sori invariant: all cryptography goes through crypto/, and each libsodium build is
      // imported by one file only (static import, import() or require alike).
      'no-restricted-imports': restrictedImports([LIBSODIUM_WASM, LIBSODIUM_NATIVE]),
      'no-restricted-syntax': ['error', ...SODIUM_LOADS],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use crypto/ for randomness.' },
      ],
    },
  },
  {
    files: ['jest.config.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly' },
    },
  },
  ...Object.keys(BOUNDARIES).map((folder) => ({
    files: [`${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': restrictedImports([LIBSODIUM_WASM, LIBSODIUM_NATIVE], folder),
    },
  })),
  {
    files: ['crypto/sodium-wasm.ts'],
    rules: { 'no-restricted-imports': restrictedImports([LIBSODIUM_NATIVE], 'crypto') },
  },
  {
    files: ['crypto/sodium-native.ts'],
    rules: { 'no-restricted-imports': restrictedImports([LIBSODIUM_WASM], 'crypto') },
  },
);
