import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createPostgresBlobStore } from '../core/blob-store';
import { createPool } from '../core/db';
import { encryptedFileSize, FILE_CHUNK_BYTES, FileEncryptor } from '../crypto';
import {
  buildEnvelopes,
  createBenchSchema,
  drawKeys,
  newQueuePrefix,
  obliterate,
} from './fixtures';
import { testimonyText, publishIntakeKey } from './fixtures';
import { measureInChild } from './children';
import { startSoriServer, type SoriServer } from './intake';
import { nowMs, percentile, sleep } from './stats';

// Many slow sources: SLOW_UPLOADS tus uploads at once, each paced to SLOW_RATE bytes/s (a Tor
// circuit) for about SLOW_SECONDS, while text submissions arrive at TEXT_RATE a second. Every
// upload is read back from the store and compared with what was sent (SHA-256 of the
// ciphertext); the server's RSS is sampled throughout; the 202 latency of the text is measured.

export const SLOW_UPLOADS = Number(process.env.BENCH_SLOW_UPLOADS ?? 200);
export const SLOW_RATE = Number(process.env.BENCH_SLOW_RATE ?? 100_000);
export const SLOW_SECONDS = Number(process.env.BENCH_SLOW_SECONDS ?? 60);
export const TEXT_RATE = 20;
export const PATCH_BYTES = 2 * 1024 * 1024; // as the browser's tus client (browser/upload.ts)
export const TICK_MS = 100;
/** browser/upload.ts's retry delays, so a source rides out a busy server as a browser does. */
const RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10_000, 20_000, 30_000, 60_000];

export interface SlowSourcesFigures {
  uploads: number;
  completed: number;
  identical: number;
  bytesEach: number;
  seconds: number;
  serverRssBeforeMiB: number;
  serverRssMaxMiB: number;
  text: { sent: number; ok: number; p50Ms: number; p99Ms: number; maxMs: number };
  errors: string[];
}

const vmRssMiB = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
};

/** The largest plaintext whose ciphertext fits in `bytes`: an upload of about that size. */
function plaintextFor(bytes: number): number {
  let n = Math.max(0, bytes - 2 * FILE_CHUNK_BYTES);
  while (encryptedFileSize(n + 4096) <= bytes) n += 4096;
  return n;
}

/** Ciphertext of n generated plaintext bytes, one frame at a time. */
function* ciphertext(key: Uint8Array, n: number): Generator<Uint8Array> {
  const enc = new FileEncryptor(key, n);
  yield enc.header;
  const block = randomBytes(FILE_CHUNK_BYTES);
  for (let left = n; left > 0; left -= FILE_CHUNK_BYTES)
    yield* enc.write(block.subarray(0, Math.min(left, FILE_CHUNK_BYTES)));
  yield* enc.end();
}

function send(
  base: string,
  agent: Agent,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: (req: ReturnType<typeof request>) => Promise<void>,
): Promise<{ status: number; location?: string; offset?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { method, agent, headers: { 'tus-resumable': '1.0.0', ...headers } },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            location: res.headers.location,
            offset: res.headers['upload-offset'] as string | undefined,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (!body) req.end();
    else body(req).catch((err: unknown) => req.destroy(err as Error));
  });
}

/** One slow source: creates the upload, sends it paced to SLOW_RATE; its id and SHA-256. */
async function slowUpload(
  base: string,
  n: number,
  startDelayMs: number,
): Promise<[string, string]> {
  await sleep(startDelayMs);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const total = encryptedFileSize(n);
    let created = { status: 0 } as { status: number; location?: string };
    for (let attempt = 0; created.status !== 201 && attempt <= RETRY_DELAYS_MS.length; attempt++) {
      if (attempt > 0) await sleep(RETRY_DELAYS_MS[attempt - 1]!);
      created = await send(base, agent, 'POST', '/v1/uploads', {
        'upload-length': String(total),
        'content-length': '0',
      }).catch(() => ({ status: 0 }));
    }
    if (created.status !== 201 || !created.location)
      throw new Error(`tus POST answered ${created.status}`);
    const path = new URL(created.location, base).pathname;
    const hash = createHash('sha256'); // of each byte once, as generated
    const frames = ciphertext(new Uint8Array(randomBytes(32)), n);
    let held: Uint8Array = new Uint8Array(0); // to send next: a resend first, then fresh frames
    const take = (k: number): Uint8Array => {
      while (held.length < k) {
        const next = frames.next();
        if (next.done) break;
        hash.update(next.value);
        held = held.length === 0 ? next.value : Buffer.concat([held, next.value]);
      }
      const out = held.subarray(0, k);
      held = held.subarray(out.length);
      return out;
    };
    let offset = 0;
    let last = nowMs();
    let failures = 0;
    while (offset < total) {
      const length = Math.min(PATCH_BYTES, total - offset);
      const headers = {
        'content-type': 'application/offset+octet-stream',
        'upload-offset': String(offset),
        'content-length': String(length),
      };
      const sentNow: Uint8Array[] = []; // kept until the server confirms them
      const res = await send(base, agent, 'PATCH', path, headers, async (req) => {
        for (let sent = 0; sent < length;) {
          await sleep(TICK_MS);
          const now = nowMs();
          const allowance = Math.max(1, Math.floor(((now - last) / 1000) * SLOW_RATE));
          last = now;
          const piece = take(Math.min(allowance, length - sent));
          sentNow.push(piece);
          sent += piece.length;
          if (!req.write(piece)) await new Promise((r) => req.once('drain', r));
        }
        req.end();
      }).catch((err: unknown) => ({ status: 0, offset: undefined, error: err }));
      if (res.status === 204) {
        offset = Number(res.offset);
        failures = 0;
        continue;
      }
      // As the browser's tus client: wait, ask the server where it stands, resend from there.
      if (++failures > RETRY_DELAYS_MS.length)
        throw new Error(`tus PATCH at ${offset} answered ${res.status} ${failures} times`);
      await sleep(RETRY_DELAYS_MS[failures - 1]!);
      const head = await send(base, agent, 'HEAD', path, {}).catch(() => ({
        status: 0,
        offset: '',
      }));
      const stored = Number(head.offset);
      if (head.status !== 200 || !(stored >= offset)) {
        held = Buffer.concat([...sentNow, held]); // where it stands is unknown: resend it all
        continue;
      }
      const unconfirmed = Buffer.concat([...sentNow, held]);
      held = unconfirmed.subarray(stored - offset);
      offset = stored;
    }
    return [path.split('/').pop()!, hash.digest('hex')];
  } finally {
    agent.destroy();
  }
}

type SlowResults = { results: Array<[string, string] | null>; errors: string[] };

/** SLOW_UPLOADS sources of n plaintext bytes each, started over one second (the child's part). */
export async function slowUploads(base: string, n: number): Promise<SlowResults> {
  const errors: string[] = [];
  const results = await Promise.all(
    Array.from({ length: SLOW_UPLOADS }, (_, i) =>
      slowUpload(base, n, (i * 1000) / SLOW_UPLOADS).catch((err: unknown) => {
        errors.push(err instanceof Error ? err.message : String(err));
        return null;
      }),
    ),
  );
  return { results, errors };
}

export async function benchSlowSources(): Promise<SlowSourcesFigures> {
  const schema = await createBenchSchema({ migrate: true });
  const prefix = newQueuePrefix();
  const readPool = createPool(schema.url, { max: 4 });
  let server: SoriServer | undefined;
  try {
    const keys = drawKeys();
    await publishIntakeKey(schema.pool, keys.intake);
    server = await startSoriServer(schema.url, prefix);
    const pid = server.child.proc.pid as number;
    const n = plaintextFor(SLOW_RATE * SLOW_SECONDS);
    const envelopes = buildEnvelopes(keys.intake, TEXT_RATE * (SLOW_SECONDS + 30), testimonyText());
    global.gc?.();
    const rssBefore = vmRssMiB(pid);
    let rssMax = rssBefore;
    const sampler = setInterval(() => (rssMax = Math.max(rssMax, vmRssMiB(pid))), 200);
    const errors: string[] = [];
    const t0 = nowMs();
    // The sources run in a child (bench/slow-sources.child.ts): their pacing must not delay
    // the text submissions measured here, nor these their pacing.
    const uploads = measureInChild<SlowResults>('bench/slow-sources.child.ts', {
      BENCH_SLOW_URL: server.url,
      BENCH_SLOW_PLAINTEXT: String(n),
    });
    let uploading = true;
    const all = uploads.finally(() => (uploading = false));
    // Text submissions, open loop, for as long as the uploads run.
    const latencies: number[] = [];
    const texts: Promise<void>[] = [];
    for (let i = 0; uploading && i < envelopes.length; i++) {
      const at = nowMs();
      texts.push(
        fetch(`${server.url}/v1/submissions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(envelopes[i]),
        })
          .then(async (res) => {
            await res.arrayBuffer();
            if (res.status !== 202) errors.push(`text POST answered ${res.status}`);
            else latencies.push(nowMs() - at);
          })
          .catch((err: unknown) => void errors.push(String(err))),
      );
      await sleep(Math.max(0, t0 + ((i + 1) * 1000) / TEXT_RATE - nowMs()));
    }
    const { results, errors: uploadErrors } = await all;
    errors.push(...uploadErrors);
    await Promise.all(texts);
    const seconds = (nowMs() - t0) / 1000;
    clearInterval(sampler);
    // Byte-identical: what the store gives back hashes as what was sent.
    const store = createPostgresBlobStore(readPool, { chunkBytes: FILE_CHUNK_BYTES });
    let identical = 0;
    for (const r of results) {
      if (!r) continue;
      const h = createHash('sha256');
      for await (const chunk of store.read(r[0])) h.update(chunk as Buffer);
      if (h.digest('hex') === r[1]) identical += 1;
      else errors.push(`upload ${r[0]} differs from what was sent`);
    }
    if (server.child.exited()) throw new Error(`server exited: ${server.child.tail().slice(-600)}`);
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      uploads: SLOW_UPLOADS,
      completed: results.filter(Boolean).length,
      identical,
      bytesEach: encryptedFileSize(n),
      seconds,
      serverRssBeforeMiB: rssBefore,
      serverRssMaxMiB: rssMax,
      text: {
        sent: texts.length,
        ok: latencies.length,
        p50Ms: percentile(sorted, 50),
        p99Ms: percentile(sorted, 99),
        maxMs: sorted.at(-1) ?? Number.NaN,
      },
      errors: [...new Set(errors)].slice(0, 8),
    };
  } finally {
    await server?.child.stop();
    await readPool.end();
    await obliterate(prefix);
    await schema.drop();
  }
}
