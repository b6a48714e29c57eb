// Three tiers: pure unit tests (crypto's twice, once per libsodium build), integration tests against a real Postgres and Redis, and
// browser tests (Debian's Chromium through playwright-core) against the same.
const swc = [
  '@swc/jest',
  { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
];

const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/tests/unit/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/unit/crypto/'],
    },
    // crypto/ has two libsodium builds behind one interface: its unit tests (vectors, negative
    // tests, streams) run once on each. SORI_CRYPTO_BACKEND=native fails rather than falls back,
    // so the native leg cannot pass on WASM unnoticed.
    ...['native', 'wasm'].map((backend) => ({
      ...common,
      displayName: `crypto-${backend}`,
      testMatch: ['<rootDir>/tests/unit/crypto/**/*.test.ts'],
      setupFiles: [`<rootDir>/tests/support/crypto-${backend}.setup.ts`],
    })),
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/tests/browser/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/browser/global-setup.ts',
    },
  ],
  testTimeout: 30000,
  maxWorkers: 2,
};
