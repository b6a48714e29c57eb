import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { Client, type Pool } from 'pg';
import { createPool } from '../core/db';
import { insertIntakeKey } from '../core/repositories/intake-key.repository';
import { insertReviewer } from '../core/repositories/reviewer.repository';
import {
  buildSubmission,
  fingerprint,
  generateBoxKeyPair,
  generateSignKeyPair,
  keyId,
  randomId,
  toBase64,
  type BoxKeyPair,
  type SubmissionEnvelopeV1,
} from '../crypto';
import { migrate } from '../sql/migrate';
import { BENCH_DATABASE_URL, BENCH_REDIS_URL } from './env';

// What every Sori measurement needs: a private, migrated schema; a unique queue prefix; keys;
// reviewers; a 4 KB testimony and envelopes sealed to the intake key.

export interface BenchSchema {
  name: string;
  pool: Pool;
  /** A connection string that lands in this schema, for child processes. */
  url: string;
  drop(): Promise<void>;
}

export async function createBenchSchema(options: { migrate: boolean }): Promise<BenchSchema> {
  const name = `bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${name}`);
  const pool = createPool(BENCH_DATABASE_URL, { schema: name, max: 25 });
  if (options.migrate) await migrate(pool);
  const url = new URL(BENCH_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${name}`);
  return {
    name,
    pool,
    url: url.toString(),
    async drop() {
      await pool.end().catch(() => undefined);
      await adminQuery(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const c = new Client({ connectionString: BENCH_DATABASE_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export const newQueuePrefix = (): string => `bench-${randomBytes(4).toString('hex')}`;

/** Deletes every key under a BullMQ prefix. */
export async function obliterate(prefix: string): Promise<void> {
  const redis = new Redis(BENCH_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** About 4 KB of UTF-8 testimony (Korean, as many sources write). */
export function testimonyText(bytes = 4000): string {
  const sentence =
    '우리는 하루에 열여섯 시간씩 일했고 여권은 관리자가 가지고 있었습니다. 임금의 대부분은 계획분으로 보내졌습니다. ';
  let text = '';
  while (Buffer.byteLength(text + sentence) <= bytes) text += sentence;
  return text;
}

export interface SoriKeys {
  intake: BoxKeyPair;
  /** JSON the worker reads from INTAKE_SECRET_KEY and WORKER_KEY (the keys:init formats). */
  intakeEnv: string;
  workerEnv: string;
}

export function drawKeys(): SoriKeys {
  const intake = generateBoxKeyPair();
  const box = generateBoxKeyPair();
  const sign = generateSignKeyPair();
  const pair = (kp: { publicKey: Uint8Array; secretKey: Uint8Array }) => ({
    publicKey: toBase64(kp.publicKey),
    secretKey: toBase64(kp.secretKey),
  });
  return {
    intake,
    intakeEnv: JSON.stringify({ format: 'sori-intake-key', v: 1, ...pair(intake) }),
    workerEnv: JSON.stringify({
      format: 'sori-worker-key',
      v: 1,
      box: pair(box),
      sign: pair(sign),
    }),
  };
}

/** The intake key as the console (or the worker at start) publishes it. */
export async function publishIntakeKey(pool: Pool, intake: BoxKeyPair): Promise<void> {
  await insertIntakeKey(pool, {
    id: keyId(intake.publicKey),
    publicKey: intake.publicKey,
    fingerprint: fingerprint(intake.publicKey),
    status: 'current',
  });
}

/** Reviewers the worker seals each record key to. */
export async function enrolReviewers(pool: Pool, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await insertReviewer(pool, {
      id: randomId(),
      name: `bench-reviewer-${i}`,
      boxPublicKey: generateBoxKeyPair().publicKey,
      signPublicKey: generateSignKeyPair().publicKey,
    });
  }
}

export function buildEnvelopes(
  intake: BoxKeyPair,
  count: number,
  text: string,
): SubmissionEnvelopeV1[] {
  const out: SubmissionEnvelopeV1[] = [];
  for (let i = 0; i < count; i++) {
    out.push(buildSubmission({ intakePublicKey: intake.publicKey, manifest: { text } }).envelope);
  }
  return out;
}

/** POSTs envelopes with `concurrency` requests in flight; throws on any answer but 202. */
export async function postAll(
  baseUrl: string,
  envelopes: readonly SubmissionEnvelopeV1[],
  concurrency: number,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < envelopes.length) {
      const env = envelopes[next++];
      const res = await fetch(`${baseUrl}/v1/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(env),
      });
      await res.arrayBuffer();
      if (res.status !== 202) throw new Error(`POST /v1/submissions answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}
