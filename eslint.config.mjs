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
      'no-restricted-imports': ['error', { paths: [LIBSODIUM_WASM, LIBSODIUM_NATIVE] }],
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
  {
    files: ['crypto/sodium-wasm.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [LIBSODIUM_NATIVE] }] },
  },
  {
    files: ['crypto/sodium-native.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [LIBSODIUM_WASM] }] },
  },
);
