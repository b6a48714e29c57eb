import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { createBlobStore, createPostgresBlobStore, type BlobStore } from '../core/blob-store';
import { createPool } from '../core/db';
import {
  createDecryptStream,
  createEncryptStream,
  encryptedFileSize,
  FILE_CHUNK_BYTES,
} from '../crypto';
import { FileDecryptor, FileEncryptor } from '../crypto/file-cipher';
import { createBenchSchema, newQueuePrefix, obliterate, type BenchSchema } from './fixtures';
import { startSoriServer, type SoriServer } from './intake';
import {
  meters,
  perMiB,
  READ_APP,
  SERVER_APP,
  snapshot,
  withAppName,
  type CpuShare,
  type Meters,
} from './upload-meters';
import { nowMs } from './stats';

// Issue 5's upload figures: secretstream in-process (the ceiling), the same bytes through
// createEncryptStream → tus PATCH → Postgres chunk rows and back out through the decrypt stream,
// and the RSS of a large upload. Plaintext is generated 64 KiB at a time, never held whole.

const MiB = 1024 * 1024;
export const THROUGHPUT_BYTES = Number(process.env.BENCH_THROUGHPUT_BYTES ?? 256 * MiB);
// 2 GiB, the target size (about a minute here); BENCH_UPLOAD_BYTES=536870912 for a quicker run.
export const RSS_BYTES = Number(process.env.BENCH_UPLOAD_BYTES ?? 2 * 1024 * MiB);
export const PATCH_BYTES = 64 * MiB;
export const RSS_SAMPLE_MS = 50;

export const REPEATS = Number(process.env.BENCH_UPLOAD_REPEATS ?? 3);

export interface Throughput {
  mbPerSec: number;
  seconds: number;
}

/**
 * One repetition, every figure taken back to back so they share the machine's load of the
 * moment (other benches may be running): the ratios compare like with like.
 */
export interface UploadRun {
  /** FileEncryptor / FileDecryptor alone: the ceiling. */
  rawEncrypt: Throughput;
  rawDecrypt: Throughput;
  /** createEncryptStream / createDecryptStream alone, in memory: crypto/'s stream adapters. */
  encryptStream: Throughput;
  decryptStream: Throughput;
  /** createEncryptStream → tus PATCHes → the server's blob store. */
  upload: Throughput;
  /** store.read → createDecryptStream, in the bench process. */
  decrypt: Throughput;
  /**
   * CPU milliseconds per MiB of plaintext, by process, for the raw figures, the upload and the
   * read-back. Wall-clock ratios depend on what else the machine runs; CPU per byte much less.
   */
  cpu: { rawEncrypt: number; rawDecrypt: number; upload: CpuShare; decrypt: CpuShare };
}

export interface PathFigures {
  runs: UploadRun[];
}

export interface UploadFigures {
  bytes: number;
  postgres: PathFigures;
  /** The same path with BLOB_STORE=s3 against s3rver (a Node S3 server on local disk). */
  s3: PathFigures | { skipped: string };
  rss: {
    bytes: number;
    seconds: number;
    serverBeforeMiB: number;
    serverMaxMiB: number;
    clientBeforeMiB: number;
    clientMaxMiB: number;
  };
}

const cpuMsPerMiB = (u: NodeJS.CpuUsage): number =>
  (u.user + u.system) / 1000 / (THROUGHPUT_BYTES / MiB);

const mbps = (bytes: number, ms: number): Throughput => ({
  mbPerSec: bytes / 1e6 / (ms / 1000),
  seconds: ms / 1000,
});

/** `size` bytes of plaintext in 64 KiB chunks (one random block repeated; nothing held whole). */
function* plaintext(size: number): Generator<Buffer> {
  const block = randomBytes(FILE_CHUNK_BYTES);
  for (let sent = 0; sent < size; sent += block.length) {
    yield sent + block.length <= size ? block : block.subarray(0, size - sent);
  }
}

/** FileEncryptor/FileDecryptor alone: no streams, no I/O. The ciphertext is kept for the decrypt. */
function rawSecretstream(key: Uint8Array, size: number): { enc: Throughput; dec: Throughput } {
  const frames: Uint8Array[] = [];
  let t = nowMs();
  const enc = new FileEncryptor(key, size);
  frames.push(enc.header);
  for (const chunk of plaintext(size)) frames.push(...enc.write(chunk));
  frames.push(...enc.end());
  const encMs = nowMs() - t;
  t = nowMs();
  const dec = new FileDecryptor(key);
  let out = 0;
  for (const frame of frames) for (const p of dec.write(frame)) out += p.length;
  for (const p of dec.end()) out += p.length;
  const decMs = nowMs() - t;
  if (out !== size) throw new Error(`raw decrypt gave ${out} bytes, not ${size}`);
  return { enc: mbps(size, encMs), dec: mbps(size, decMs) };
}

/** createEncryptStream and createDecryptStream in memory: what the streams cost over raw. */
async function streamsOnly(
  key: Uint8Array,
  size: number,
): Promise<{ enc: Throughput; dec: Throughput }> {
  const frames: Buffer[] = [];
  let t = nowMs();
  await pipeline(
    Readable.from(plaintext(size)),
    createEncryptStream(key, size),
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        frames.push(chunk);
        cb();
      },
    }),
  );
  const encMs = nowMs() - t;
  // Read back in 1 MiB pieces, as the stores hand them over. Joined before the clock starts:
  // copying 256 MiB into fresh memory is the bench's cost, not the decrypt stream's.
  const all = Buffer.concat(frames);
  frames.length = 0;
  const pieces = (function* () {
    for (let at = 0; at < all.length; at += MiB) yield all.subarray(at, at + MiB);
  })();
  let got = 0;
  t = nowMs();
  await pipeline(
    Readable.from(pieces),
    createDecryptStream(key),
    sink((n) => (got += n)),
  );
  const decMs = nowMs() - t;
  if (got !== size) throw new Error(`stream decrypt gave ${got} bytes, not ${size}`);
  return { enc: mbps(size, encMs), dec: mbps(size, decMs) };
}

interface Tus {
  base: string;
  agent: Agent;
}

function tusRequest(
  tus: Tus,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: (req: ReturnType<typeof request>) => Promise<void>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${tus.base}${path}`,
      { method, agent: tus.agent, headers: { 'tus-resumable': '1.0.0', ...headers } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (!body) req.end();
    else body(req).catch((err: unknown) => req.destroy(err as Error));
  });
}

/** createEncryptStream of `size` generated bytes, sent as tus PATCHes of PATCH_BYTES; the upload id. */
async function encryptAndUpload(tus: Tus, key: Uint8Array, size: number): Promise<string> {
  const total = encryptedFileSize(size);
  const created = await tusRequest(tus, 'POST', '/v1/uploads', {
    'upload-length': String(total),
    'content-length': '0',
  });
  const location = created.headers.location;
  if (created.status !== 201 || typeof location !== 'string')
    throw new Error(`tus POST answered ${created.status}`);
  const id = location.split('/').pop() as string;

  const enc = createEncryptStream(key, size);
  const source = Readable.from(plaintext(size));
  source.on('error', (err) => enc.destroy(err));
  source.pipe(enc);
  const cipher = enc[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let carry: Buffer | null = null;
  let offset = 0;
  while (offset < total) {
    const length = Math.min(PATCH_BYTES, total - offset);
    const res = await tusRequest(
      tus,
      'PATCH',
      location,
      {
        'content-type': 'application/offset+octet-stream',
        'upload-offset': String(offset),
        'content-length': String(length),
      },
      async (req) => {
        let sent = 0;
        while (sent < length) {
          let chunk = carry;
          carry = null;
          if (!chunk) {
            const next = await cipher.next();
            if (next.done) throw new Error('ciphertext ended early');
            chunk = next.value;
          }
          if (chunk.length > length - sent) {
            carry = chunk.subarray(length - sent);
            chunk = chunk.subarray(0, length - sent);
          }
          sent += chunk.length;
          if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
        }
        req.end();
      },
    );
    if (res.status !== 204) throw new Error(`tus PATCH at ${offset} answered ${res.status}`);
    offset = Number(res.headers['upload-offset']);
    if (offset === 0 || !Number.isSafeInteger(offset)) throw new Error('no Upload-Offset');
  }
  return id;
}

const vmRssMiB = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
};

/** Warm-up, then REPEATS rounds of raw, streams-only, upload and read-back+decrypt. */
async function measurePath(
  base: string,
  store: BlobStore,
  key: Uint8Array,
  m: Meters,
): Promise<PathFigures> {
  // A connection of its own per upload: the server drops keep-alive sockets idle for 5 s,
  // and the in-memory measurements between uploads take longer than that.
  const upload = async (size: number): Promise<string> => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      return await encryptAndUpload({ base, agent }, key, size);
    } finally {
      agent.destroy();
    }
  };
  const warm = await upload(8 * MiB);
  await pipeline(store.read(warm), createDecryptStream(key), sink());
  await store.delete(warm);
  const runs: UploadRun[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const cpu0 = process.cpuUsage();
    const raw = rawSecretstream(key, THROUGHPUT_BYTES);
    const rawCpu = process.cpuUsage(cpu0);
    const streams = await streamsOnly(key, THROUGHPUT_BYTES);
    global.gc?.();
    const s0 = await snapshot(m);
    let t = nowMs();
    const id = await upload(THROUGHPUT_BYTES);
    const uploaded = mbps(THROUGHPUT_BYTES, nowMs() - t);
    const s1 = await snapshot(m);
    t = nowMs();
    let got = 0;
    await pipeline(
      store.read(id),
      createDecryptStream(key),
      sink((n) => (got += n)),
    );
    const decrypt = mbps(THROUGHPUT_BYTES, nowMs() - t);
    const s2 = await snapshot(m);
    if (got !== THROUGHPUT_BYTES) throw new Error(`decrypt gave ${got} bytes`);
    await store.delete(id);
    runs.push({
      rawEncrypt: raw.enc,
      rawDecrypt: raw.dec,
      encryptStream: streams.enc,
      decryptStream: streams.dec,
      upload: uploaded,
      decrypt,
      cpu: {
        // rawSecretstream times encrypt and decrypt separately; CPU splits in the same ratio.
        rawEncrypt: cpuMsPerMiB(rawCpu) * (raw.enc.seconds / (raw.enc.seconds + raw.dec.seconds)),
        rawDecrypt: cpuMsPerMiB(rawCpu) * (raw.dec.seconds / (raw.enc.seconds + raw.dec.seconds)),
        upload: perMiB(s0, s1, THROUGHPUT_BYTES / MiB),
        decrypt: perMiB(s1, s2, THROUGHPUT_BYTES / MiB),
      },
    });
  }
  return { runs };
}

export async function benchUpload(): Promise<UploadFigures> {
  const schema = await createBenchSchema({ migrate: true });
  const prefix = newQueuePrefix();
  const key = new Uint8Array(randomBytes(32));
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  // The reader's own pool, named so its backends' CPU can be told apart.
  const readPool = createPool(withAppName(schema.url, READ_APP), { max: 4 });
  let server: SoriServer | undefined;
  try {
    server = await startSoriServer(withAppName(schema.url, SERVER_APP), prefix);
    const tus: Tus = { base: server.url, agent };
    const pid = server.child.proc.pid as number;
    const store = createPostgresBlobStore(readPool, { chunkBytes: FILE_CHUNK_BYTES });
    const postgres = await measurePath(server.url, store, key, meters(schema, pid));

    global.gc?.();
    const serverBefore = vmRssMiB(pid);
    const clientBefore = process.memoryUsage.rss() / MiB;
    let serverMax = serverBefore;
    let clientMax = clientBefore;
    const sampler = setInterval(() => {
      serverMax = Math.max(serverMax, vmRssMiB(pid));
      clientMax = Math.max(clientMax, process.memoryUsage.rss() / MiB);
    }, RSS_SAMPLE_MS);
    const t = nowMs();
    let big: string;
    try {
      big = await encryptAndUpload(tus, key, RSS_BYTES);
    } finally {
      clearInterval(sampler);
    }
    const rssSeconds = (nowMs() - t) / 1000;
    await store.delete(big);
    if (server.child.exited()) throw new Error(`server exited: ${server.child.tail().slice(-600)}`);
    await server.child.stop();
    server = undefined;

    let s3: UploadFigures['s3'];
    try {
      s3 = await benchS3(schema, readPool, prefix, key);
    } catch (err) {
      s3 = { skipped: err instanceof Error ? err.message : String(err) };
    }

    return {
      bytes: THROUGHPUT_BYTES,
      postgres,
      s3,
      rss: {
        bytes: RSS_BYTES,
        seconds: rssSeconds,
        serverBeforeMiB: serverBefore,
        serverMaxMiB: serverMax,
        clientBeforeMiB: clientBefore,
        clientMaxMiB: clientMax,
      },
    };
  } finally {
    agent.destroy();
    await server?.child.stop();
    await readPool.end();
    await obliterate(prefix);
    await schema.drop();
  }
}

/**
 * The same path with BLOB_STORE=s3, against s3rver (a Node S3 server storing objects as
 * files) in a child process of its own: a stand-in for MinIO, not a measure of it.
 */
async function benchS3(
  schema: BenchSchema,
  readPool: Pool,
  prefix: string,
  key: Uint8Array,
): Promise<PathFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'sori-bench-s3-'));
  const bucket = 'sori-bench';
  const s3rver = spawn(
    process.execPath,
    [
      '-e',
      `const S3rver = require('s3rver');
       new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: ${JSON.stringify(dir)},
                    configureBuckets: [{ name: '${bucket}' }] })
         .run().then((a) => process.stdout.write(a.port + '\\n'));`,
    ],
    { cwd: join(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const previous = process.env.BENCH_ENV_SERVER;
  let server: SoriServer | undefined;
  try {
    const port = await new Promise<number>((resolve, reject) => {
      s3rver.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
      s3rver.once('exit', () => reject(new Error('s3rver did not start')));
    });
    const env = {
      BLOB_STORE: 's3',
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
    } as const;
    // The server child takes extra env from BENCH_ENV_SERVER (bench/children.ts).
    const extra = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    process.env.BENCH_ENV_SERVER = [previous ?? '', ...extra].join(' ').trim();
    server = await startSoriServer(withAppName(schema.url, SERVER_APP), prefix);
    const store = createBlobStore(readPool, env, { chunkBytes: FILE_CHUNK_BYTES });
    const m = meters(schema, server.child.proc.pid as number, { s3rver: s3rver.pid as number });
    return await measurePath(server.url, store, key, m);
  } finally {
    if (previous === undefined) delete process.env.BENCH_ENV_SERVER;
    else process.env.BENCH_ENV_SERVER = previous;
    await server?.child.stop();
    s3rver.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

function sink(count: (n: number) => void = () => undefined): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      count(chunk.length);
      cb();
    },
  });
}

// Report lines.
