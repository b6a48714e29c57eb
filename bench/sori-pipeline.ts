import { type Child } from './children';
import { publicKeyMsPerRecord } from './drain-ceiling';
import {
  enrolReviewers,
  createBenchSchema,
  newQueuePrefix,
  obliterate,
  publishIntakeKey,
  drawKeys,
  type BenchSchema,
  type SoriKeys,
} from './fixtures';
import { startSoriServer, type SoriServer } from './intake';
import { benchLatency, type LatencyFigures } from './latency';
import {
  benchDrain,
  benchNoopWorker,
  startSoriWorker,
  warmPipeline,
  WORKER_PROCESSES,
  type DrainFigures,
} from './pipeline';
import type { Outcome } from './report-row';

// Sections 3 and 4 share one deployment: server and worker as children on a private schema
// and queue prefix, warmed up once, torn down at the end whatever happened.

const REVIEWERS = 3;
const WARM_SUBMISSIONS = 200;

const fail = (
  err: unknown,
  children: Array<Child | undefined> = [],
): { ok: false; why: string } => {
  // "fetch failed" alone says nothing: name the child that died and what it said last.
  const dead = children.filter((c): c is Child => c !== undefined && c.exited());
  const why = err instanceof Error ? err.message : String(err);
  return {
    ok: false,
    why: [why, ...dead.map((c) => `${c.name} exited: ${c.tail().slice(-400)}`)].join('; '),
  };
};

/** The drain again with WORKER_PROCESSES processes: the extra ones are started and warmed. */
async function benchScaledDrain(
  schema: BenchSchema,
  server: SoriServer,
  prefix: string,
  workers: Child[],
  keys: SoriKeys,
): Promise<Outcome<DrainFigures>> {
  try {
    for (let i = workers.length + 1; i <= WORKER_PROCESSES; i++)
      workers.push(startSoriWorker(schema.url, prefix, keys, `worker-${i}`));
    await warmPipeline(schema.pool, server.url, workers, keys, WARM_SUBMISSIONS);
    const value = await benchDrain(
      schema.pool,
      server.url,
      prefix,
      workers,
      keys,
      server.child.proc.pid,
    );
    return { ok: true, value };
  } catch (err) {
    return fail(err, [server.child, ...workers]);
  }
}

export async function benchPipeline(): Promise<{
  drain: Outcome<DrainFigures>;
  latency: Outcome<LatencyFigures>;
}> {
  process.stdout.write('bench: sori worker drain and latency...\n');
  const schema = await createBenchSchema({ migrate: true });
  const prefix = newQueuePrefix();
  let server: SoriServer | undefined;
  const workers: Child[] = [];
  try {
    const keys = drawKeys();
    await publishIntakeKey(schema.pool, keys.intake);
    await enrolReviewers(schema.pool, REVIEWERS);
    try {
      server = await startSoriServer(schema.url, prefix);
      workers.push(startSoriWorker(schema.url, prefix, keys));
      await warmPipeline(schema.pool, server.url, workers, keys, WARM_SUBMISSIONS);
    } catch (err) {
      const why = fail(err, [server?.child, ...workers]);
      return { drain: why, latency: why };
    }
    let drain: Outcome<DrainFigures>;
    try {
      const value = await benchDrain(
        schema.pool,
        server.url,
        prefix,
        workers,
        keys,
        server.child.proc.pid,
      );
      value.publicKeyMs = publicKeyMsPerRecord(REVIEWERS);
      if (WORKER_PROCESSES > 1) {
        value.scaled = await benchScaledDrain(schema, server, prefix, workers, keys);
        if (value.scaled.ok) value.scaled.value.publicKeyMs = value.publicKeyMs;
      }
      try {
        value.noopJobsPerSec = await benchNoopWorker();
      } catch {
        value.noopJobsPerSec = null;
      }
      drain = { ok: true, value };
    } catch (err) {
      drain = fail(err, [server.child, ...workers]);
    }
    let latency: Outcome<LatencyFigures>;
    try {
      // Measured with the first worker process alone, as before scaling out.
      for (const extra of workers.slice(1)) await extra.stop();
      latency = {
        ok: true,
        value: await benchLatency(schema.pool, server.url, workers[0]!, keys),
      };
    } catch (err) {
      latency = fail(err, [server.child, ...workers]);
    }
    return { drain, latency };
  } finally {
    for (const w of workers) await w.stop();
    await server?.child.stop();
    await obliterate(prefix);
    await schema.drop();
  }
}
