import { randomUUID } from 'node:crypto';
import { BENCH_REDIS_URL } from './env';
import { startChild, freePort, waitForHttp, type Child } from './children';
import { measureHttp, type HttpFigures, type RequestSpec } from './load';
import {
  createBenchSchema,
  newQueuePrefix,
  obliterate,
  publishIntakeKey,
  type SoriKeys,
} from './fixtures';

// Sori's POST /v1/submissions under load: validated, committed to Postgres, enqueued in Redis.
// One real envelope is built and only its id varies (a fresh UUID per request): the server
// cannot check the ciphertext against the id, only the worker can, and no worker runs here.

/** A POST of `envelopeJson` whose "id" is replaced by a fresh UUID on every request. */
export function bodyTemplate(envelopeJson: string): RequestSpec {
  const id = (JSON.parse(envelopeJson) as { id: string }).id;
  const [before, after] = envelopeJson.split(id) as [string, string];
  return {
    method: 'POST',
    path: '/v1/submissions',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => ({ ...req, body: before + randomUUID() + after }),
  };
}

export interface SoriServer {
  url: string;
  child: Child;
}

/**
 * server/main.ts as a child on a free port, in `databaseUrl`'s schema, listening on both
 * listeners (/healthz: /readyz also wants an intake key, which the upload benches never use).
 */
export async function startSoriServer(databaseUrl: string, prefix: string): Promise<SoriServer> {
  const port = await freePort();
  // The review listener must not collide with anything on its default port either.
  const reviewPort = await freePort();
  const child = startChild('server', 'server/main.ts', {
    PUBLIC_PORT: String(port),
    REVIEW_PORT: String(reviewPort),
    DATABASE_URL: databaseUrl,
    REDIS_URL: BENCH_REDIS_URL,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    // The outbox sweeper re-enqueues every pending submission each pass; with a backlog and no
    // worker (as here) that pass is O(backlog). Keep it out of the request-path figures.
    SWEEP_INTERVAL_MS: '600000',
    // Issue 3's figure is the intake path itself (validate, commit, enqueue). The proof of work
    // is the client's cost by design and would make this a measure of the load generator.
    POW_REQUIRED: 'false',
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(child, `${url}/healthz`, 200);
    // main() starts the review listener after the public one: ready means both answer.
    await waitForHttp(child, `http://127.0.0.1:${reviewPort}/`);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return { url, child };
}

export interface IntakeFigures extends HttpFigures {
  bodyBytes: number;
}

export async function benchIntake(keys: SoriKeys, envelopeJson: string): Promise<IntakeFigures> {
  const schema = await createBenchSchema({ migrate: true });
  const prefix = newQueuePrefix();
  let server: SoriServer | undefined;
  try {
    await publishIntakeKey(schema.pool, keys.intake);
    server = await startSoriServer(schema.url, prefix);
    const figures = await measureHttp(
      server.url,
      bodyTemplate(envelopeJson),
      202,
      server.child.proc.pid,
    );
    if (server.child.exited()) throw new Error(`server exited: ${server.child.tail().slice(-600)}`);
    return { ...figures, bodyBytes: Buffer.byteLength(envelopeJson) };
  } finally {
    await server?.child.stop();
    await obliterate(prefix);
    await schema.drop();
  }
}
