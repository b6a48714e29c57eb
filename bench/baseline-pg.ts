import { randomBytes, randomUUID } from 'node:crypto';
import { PG_CONCURRENCY, RUN_SECONDS, WARMUP_SECONDS } from './env';
import { createBenchSchema } from './fixtures';
import { nowMs, percentile } from './stats';

// Baseline (b): node-postgres inserting 4 KB bytea rows, one autocommit INSERT each (a WAL
// flush per commit, as Sori's own commits have), from PG_CONCURRENCY clients in parallel, into
// a table made for the run in a private schema and dropped afterwards. A real (logged) table,
// not TEMPORARY: temporary tables skip the WAL and would flatter the baseline.

export interface PgFigures {
  rowsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  rows: number;
  concurrency: number;
  seconds: number;
}

export async function benchBaselinePg(): Promise<PgFigures> {
  const schema = await createBenchSchema({ migrate: false });
  try {
    await schema.pool.query(`CREATE TABLE rows (id uuid PRIMARY KEY, data bytea NOT NULL)`);
    // Random bytes, like ciphertext: TOAST compression gains nothing on them either.
    const payloads = Array.from({ length: 64 }, () => randomBytes(4096));
    const phase = async (seconds: number, samples: number[] | null): Promise<number> => {
      const end = nowMs() + seconds * 1000;
      let rows = 0;
      const lane = async (): Promise<void> => {
        while (nowMs() < end) {
          const t0 = nowMs();
          await schema.pool.query('INSERT INTO rows (id, data) VALUES ($1, $2)', [
            randomUUID(),
            payloads[rows % payloads.length],
          ]);
          samples?.push(nowMs() - t0);
          rows++;
        }
      };
      const started = nowMs();
      await Promise.all(Array.from({ length: PG_CONCURRENCY }, lane));
      return rows / ((nowMs() - started) / 1000);
    };
    await phase(WARMUP_SECONDS, null);
    const samples: number[] = [];
    const rowsPerSec = await phase(RUN_SECONDS, samples);
    return {
      rowsPerSec,
      p50Ms: percentile(samples, 50),
      p99Ms: percentile(samples, 99),
      rows: samples.length,
      concurrency: PG_CONCURRENCY,
      seconds: RUN_SECONDS,
    };
  } finally {
    await schema.drop();
  }
}
