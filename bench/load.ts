import autocannon, { type Options, type Result } from 'autocannon';
import { cpuSnapshot, cpuUse, type CpuUse } from './cpu';
import { HTTP_CONNECTIONS, RUN_SECONDS, WARMUP_SECONDS } from './env';

// autocannon through its programmatic API: a discarded warm-up run, then the measured run.

export interface HttpFigures {
  reqPerSec: number; // responses with the expected status, per second of the measured run
  p50Ms: number;
  p99Ms: number;
  expected: number;
  other: number; // responses with another status, errors and timeouts
  connections: number;
  seconds: number;
  /** CPU seconds per component during the measured run. */
  cpu: CpuUse;
}

export type RequestSpec = Pick<Options, 'method' | 'headers' | 'body'> & {
  path: string;
  setupRequest?: (req: { body?: string }) => { body?: string };
};

function run(url: string, spec: RequestSpec, seconds: number): Promise<Result> {
  return autocannon({
    url,
    connections: HTTP_CONNECTIONS,
    duration: seconds,
    requests: [spec as NonNullable<Options['requests']>[number]],
  });
}

/** `server` is the pid of the process under test, for the CPU breakdown. */
export async function measureHttp(
  url: string,
  spec: RequestSpec,
  expectStatus: number,
  server?: number,
): Promise<HttpFigures> {
  await run(url, spec, WARMUP_SECONDS);
  const before = cpuSnapshot();
  const r = await run(url, spec, RUN_SECONDS);
  const cpu = cpuUse(before, cpuSnapshot(), { server, 'load generator': process.pid });
  const expected =
    r.statusCodeStats?.[String(expectStatus) as keyof typeof r.statusCodeStats]?.count ?? 0;
  const total = Object.values(r.statusCodeStats ?? {}).reduce((n, s) => n + (s?.count ?? 0), 0);
  return {
    reqPerSec: expected / r.duration,
    // autocannon records 2xx latencies only, in whole milliseconds.
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    expected,
    other: total - expected + r.errors + r.timeouts,
    connections: HTTP_CONNECTIONS,
    seconds: r.duration,
    cpu,
  };
}
