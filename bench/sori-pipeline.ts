import { type Child } from './children';
import {
  enrolReviewers,
  createBenchSchema,
  newQueuePrefix,
  obliterate,
  publishIntakeKey,
  drawKeys,
} from './fixtures';
import { startSoriServer, type SoriServer } from './intake';
import { benchLatency, type LatencyFigures } from './latency';
import {
  benchDrain,
  benchNoopWorker,
  startSoriWorker,
  warmPipeline,
  type DrainFigures,
} from './pipeline';
import type { Outcome } from './report';

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

export async function benchPipeline(): Promise<{
  drain: Outcome<DrainFigures>;
  latency: Outcome<LatencyFigures>;
}> {
  process.stdout.write('bench: sori worker drain and latency...\n');
  const schema = await createBenchSchema({ migrate: true });
  const prefix = newQueuePrefix();
  let server: SoriServer | undefined;
  let worker: Child | undefined;
  try {
    const keys = drawKeys();
    await publishIntakeKey(schema.pool, keys.intake);
    await enrolReviewers(schema.pool, REVIEWERS);
    try {
      server = await startSoriServer(schema.url, prefix);
      worker = startSoriWorker(schema.url, prefix, keys);
      await warmPipeline(schema.pool, server.url, worker, keys, WARM_SUBMISSIONS);
    } catch (err) {
      const why = fail(err, [server?.child, worker]);
      return { drain: why, latency: why };
    }
    let drain: Outcome<DrainFigures>;
    try {
      const value = await benchDrain(
        schema.pool,
        server.url,
        prefix,
        worker,
        keys,
        server.child.proc.pid,
      );
      try {
        value.noopJobsPerSec = await benchNoopWorker();
      } catch {
        value.noopJobsPerSec = null;
      }
      drain = { ok: true, value };
    } catch (err) {
      drain = fail(err, [server.child, worker]);
    }
    let latency: Outcome<LatencyFigures>;
    try {
      latency = { ok: true, value: await benchLatency(schema.pool, server.url, worker, keys) };
    } catch (err) {
      latency = fail(err, [server.child, worker]);
    }
    return { drain, latency };
  } finally {
    await worker?.stop();
    await server?.child.stop();
    await obliterate(prefix);
    await schema.drop();
  }
}
