// Where the integration tier finds its services: the local ones on their standard ports
// unless DATABASE_URL / REDIS_URL say otherwise.
export const TEST_DATABASE_URL =
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
