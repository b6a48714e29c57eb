import type { Pool } from 'pg';
import type { Child } from './children';
import { LATENCY_RATE, LATENCY_SECONDS } from './env';
import { buildEnvelopes, testimonyText, type SoriKeys } from './fixtures';
import { nowMs, percentile, sleep } from './stats';

// Submission → record latency at a steady, moderate load: an open-loop generator sends
// LATENCY_RATE submissions a second for LATENCY_SECONDS through the HTTP API while the worker
// runs; one poller asks Postgres every POLL_MS which of the outstanding ids have a record.
// Latency = when the poll saw the record − when the 202 arrived (an upper bound, ≤ POLL_MS +
// one query late). These times exist only in this process: Sori records no precise time.

const POLL_MS = 10;
const WARMUP_SECONDS = 2;

export interface LatencyFigures {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  sent: number;
  measured: number;
  missing: number;
  rate: number;
  seconds: number;
  pollMs: number;
  /** 202 round trip under this load, for comparison. */
  httpP50Ms: number;
  httpP99Ms: number;
}

interface Pending {
  sentAt: number;
  acceptedAt?: number;
  recordAt?: number;
  measured: boolean;
}

export async function benchLatency(
  pool: Pool,
  serverUrl: string,
  worker: Child,
  keys: SoriKeys,
): Promise<LatencyFigures> {
  const total = LATENCY_RATE * (WARMUP_SECONDS + LATENCY_SECONDS);
  const warm = LATENCY_RATE * WARMUP_SECONDS;
  const envelopes = buildEnvelopes(keys.intake, total, testimonyText());
  const state = new Map<string, Pending>();
  const errors: string[] = [];
  let outstanding = new Set<string>();
  let sending = true;
  let pollError: Error | undefined;

  const poller = (async () => {
    while (sending || outstanding.size > 0) {
      if (outstanding.size > 0) {
        const ids = [...outstanding];
        const { rows } = await pool.query<{ id: string }>(
          'SELECT submission_id::text AS id FROM records WHERE submission_id = ANY($1::uuid[])',
          [ids],
        );
        const seen = nowMs();
        for (const { id } of rows) {
          const p = state.get(id);
          if (p) p.recordAt = seen;
          outstanding.delete(id);
        }
      }
      if (worker.exited()) throw new Error(`worker exited: ${worker.tail().slice(-600)}`);
      await sleep(POLL_MS);
    }
  })().catch((err: Error) => {
    pollError = err;
  });

  const send = async (i: number): Promise<void> => {
    const env = envelopes[i];
    if (!env) return;
    const p: Pending = { sentAt: nowMs(), measured: i >= warm };
    state.set(env.id, p);
    outstanding.add(env.id);
    try {
      const res = await fetch(`${serverUrl}/v1/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(env),
      });
      await res.arrayBuffer();
      if (res.status !== 202) throw new Error(`answered ${res.status}`);
      p.acceptedAt = nowMs();
    } catch (err) {
      errors.push(err instanceof Error ? err.message : String(err));
      outstanding.delete(env.id);
    }
  };

  // Open loop: request i leaves at start + i/rate whatever happened to the ones before it.
  const start = nowMs();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / LATENCY_RATE;
    const wait = due - nowMs();
    if (wait > 0) await sleep(wait);
    inFlight.push(send(i));
  }
  await Promise.all(inFlight);
  const deadline = nowMs() + 60_000;
  while (outstanding.size > 0 && nowMs() < deadline && !pollError) await sleep(50);
  const missing = [...outstanding].filter((id) => state.get(id)?.measured).length;
  outstanding = new Set();
  sending = false;
  await poller;
  if (pollError) throw pollError;
  if (errors.length > 0)
    throw new Error(`${errors.length} submissions failed, first: ${errors[0]}`);

  const measured = [...state.values()].filter((p) => p.measured);
  const latencies = measured
    .filter((p) => p.acceptedAt !== undefined && p.recordAt !== undefined)
    .map((p) => Math.max(0, (p.recordAt as number) - (p.acceptedAt as number)));
  const http = measured
    .filter((p) => p.acceptedAt !== undefined)
    .map((p) => (p.acceptedAt as number) - p.sentAt);
  return {
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: Math.max(...latencies),
    sent: measured.length,
    measured: latencies.length,
    missing,
    rate: LATENCY_RATE,
    seconds: LATENCY_SECONDS,
    pollMs: POLL_MS,
    httpP50Ms: percentile(http, 50),
    httpP99Ms: percentile(http, 99),
  };
}
