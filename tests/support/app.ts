import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Redis from 'ioredis';
import type { Pool } from 'pg';
import { loadConfig, type Config } from '../../core/config';
import { createLogger, type Logger } from '../../core/logger';
import { createProducer, createRedis, type Producer } from '../../core/queue';
import { insertIntakeKey } from '../../core/repositories/intake-key.repository';
import {
  fingerprint,
  generateBoxKeyPair,
  initCrypto,
  keyId,
  randomId,
  type BoxKeyPair,
} from '../../crypto';
import type { BlobStore } from '../../core/blob-store';
import type { PublicAppDeps, PublicServices } from '../../server/app';
import { composeServer } from '../../server/compose';
import { postgresCheck, redisCheck } from '../../server/health/readiness.service';
import { createTestDatabase, type TestDatabase } from './db';
import { TEST_REDIS_URL } from './env';

export interface TestApp {
  url: string;
  pool: Pool;
  db: TestDatabase;
  producer: Producer;
  prefix: string;
  config: Config;
  /** The services and blob store the app was composed with (server/compose.ts). */
  services: PublicServices;
  store: BlobStore;
  /** Closes the listener, the producer, the probe and drops the schema and queue prefix. */
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Where the producer and readiness probe connect; a closed port simulates Redis down. */
  redisUrl?: string;
  log?: Logger;
  env?: Record<string, string>;
  /** Proof of work / per-token limits, built with the app's own Redis prefix (off if absent). */
  guards?: (prefix: string) => Pick<PublicAppDeps, 'pow' | 'limits'>;
  /** The no-JS gate and progress check, sized for the test. */
  page?: PublicAppDeps['page'];
}

/** The public app in-process on 127.0.0.1:0, with its own schema and BullMQ prefix. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  await initCrypto();
  const config = loadConfig({ NODE_ENV: 'test', ...options.env });
  const db = await createTestDatabase();
  const prefix = `test-${randomId().slice(0, 8)}`;
  const log = options.log ?? createLogger({ level: 'silent' });
  const redisUrl = options.redisUrl ?? TEST_REDIS_URL;
  const producer = createProducer({ redisUrl, prefix, attempts: 1, backoffMs: 10, log });
  const probe = createRedis(redisUrl, 'probe');
  const composed = composeServer({
    pool: db.pool,
    producer,
    config,
    log,
    readiness: [postgresCheck(db.pool), redisCheck(probe)],
    ...options.guards?.(prefix),
    ...(options.page ? { page: options.page } : {}),
  });
  const server: Server = await new Promise((resolve) => {
    const s = composed.publicApp.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    pool: db.pool,
    db,
    producer,
    prefix,
    config,
    services: composed.services,
    store: composed.store,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // Enqueues follow the answers: none may land under the prefix after it is deleted.
      await composed.services.submissions.enqueuesSettled();
      await obliterate(prefix);
      await producer.close();
      probe.disconnect();
      await db.drop();
    },
  };
}

/** Deletes every key under a test prefix, with a connection of its own. */
export async function obliterate(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/** Inserts an intake key (the console's job in production) and returns its key pair. */
export async function insertTestIntakeKey(
  pool: Pool,
  status: 'current' | 'accepting' | 'retired' = 'current',
): Promise<{ id: string; keyPair: BoxKeyPair }> {
  const keyPair = generateBoxKeyPair();
  const id = keyId(keyPair.publicKey);
  await insertIntakeKey(pool, {
    id,
    publicKey: keyPair.publicKey,
    fingerprint: fingerprint(keyPair.publicKey),
    status,
  });
  return { id, keyPair };
}
