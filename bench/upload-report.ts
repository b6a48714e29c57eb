import { availableParallelism } from 'node:os';
import type { Outcome, Row } from './report-row';
import {
  PATCH_BYTES,
  REPEATS,
  RSS_BYTES,
  RSS_SAMPLE_MS,
  THROUGHPUT_BYTES,
  type UploadFigures,
  type UploadRun,
} from './upload';

// How bench/upload.ts's figures read in BENCHMARKS.md: rows against issue 5's targets,
// details, and the method.

const MiB = 1024 * 1024;
const mib = (bytes: number): string =>
  bytes % (1024 * MiB) === 0 ? `${bytes / (1024 * MiB)} GiB` : `${Math.round(bytes / MiB)} MiB`;
const f1 = (x: number): string => x.toFixed(1);
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const verdict = (met: boolean): string => (met ? 'met' : '**not met**');
const why = (o: { why: string }): string =>
  `not measured: ${o.why.replace(/\s+/g, ' ').slice(0, 300)}`;

/** Ratios per run (each against the raw figure of its own run), as median and range. */
function ratios(runs: readonly UploadRun[], pick: (r: UploadRun) => number): number[] {
  return runs.map(pick).sort((a, b) => a - b);
}
const median = (xs: readonly number[]): number => {
  const mid = Math.floor(xs.length / 2);
  return xs.length % 2 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
};
const range = (xs: readonly number[], fmt: (x: number) => string): string =>
  xs.length > 1 ? ` (range ${fmt(xs[0]!)}–${fmt(xs[xs.length - 1]!)})` : '';

const up = (r: UploadRun) => r.upload.mbPerSec / r.rawEncrypt.mbPerSec;
const down = (r: UploadRun) => r.decrypt.mbPerSec / r.rawDecrypt.mbPerSec;

function throughputRow(
  what: string,
  runs: readonly UploadRun[],
  ratio: (r: UploadRun) => number,
  speed: (r: UploadRun) => number,
  raw: (r: UploadRun) => number,
  rawName: string,
  judged: boolean,
): Row {
  const rs = ratios(runs, ratio);
  const speeds = ratios(runs, speed);
  const raws = ratios(runs, raw);
  return {
    what,
    figure:
      `${pct(median(rs))} of raw secretstream ${rawName}${range(rs, pct)}, median of ${runs.length}` +
      ` runs: ${f1(median(speeds))} MB/s vs raw ${f1(median(raws))} MB/s`,
    target: judged ? '≥ 70 % of raw secretstream' : 'reported beside raw (no target)',
    verdict: judged ? verdict(median(rs) >= 0.7) : '—',
  };
}

/** Server CPU per MiB stored over what its Postgres backends spent storing it (issue 17: ≤ 1.5). */
const serverOverPg = (r: UploadRun): number =>
  (r.cpu.upload.server ?? Number.NaN) / (r.cpu.upload.postgres ?? Number.NaN);

/** The Postgres path's rows for one backend: upload beside raw, server CPU vs Postgres, read. */
function postgresRows(u: UploadFigures): Row[] {
  const pg = u.postgres.runs;
  const cpu = ratios(pg, serverOverPg);
  const tag = `${u.backend} backend`;
  return [
    throughputRow(
      `Upload+encrypt (${tag}): createEncryptStream → tus PATCH → Postgres chunks (${mib(u.bytes)})`,
      pg,
      up,
      (r) => r.upload.mbPerSec,
      (r) => r.rawEncrypt.mbPerSec,
      'encrypt',
      false,
    ),
    {
      what: `Upload (${tag}): server CPU per MiB stored vs what Postgres spends storing it`,
      figure:
        `${median(cpu).toFixed(2)}× Postgres's${range(cpu, (x) => `${x.toFixed(2)}×`)}, median of ${pg.length} runs: ` +
        `server ${median(ratios(pg, (r) => r.cpu.upload.server ?? 0)).toFixed(2)} vs postgres ` +
        `${median(ratios(pg, (r) => r.cpu.upload.postgres ?? 0)).toFixed(2)} CPU ms/MiB`,
      target: '≤ 1.5× Postgres',
      verdict: verdict(median(cpu) <= 1.5),
    },
    throughputRow(
      `Decrypt (${tag}): PostgresBlobStore.read → createDecryptStream (${mib(u.bytes)})`,
      pg,
      down,
      (r) => r.decrypt.mbPerSec,
      (r) => r.rawDecrypt.mbPerSec,
      'decrypt',
      true,
    ),
  ];
}

/** `wasm` is the same Postgres path again with SORI_CRYPTO_BACKEND=wasm (client and server). */
export function uploadRows(o: Outcome<UploadFigures>, wasm?: Outcome<UploadFigures>): Row[] {
  const rows: Row[] = [];
  if (!o.ok)
    rows.push(
      {
        what: 'Upload+encrypt and decrypt throughput',
        figure: why(o),
        target: '≥ 70 % of raw secretstream (read)',
        verdict: 'not measured',
      },
      {
        what: 'RSS growth during a large upload',
        figure: why(o),
        target: '< 100 MB',
        verdict: 'not measured',
      },
    );
  else rows.push(...postgresRows(o.value));
  if (wasm && wasm.ok) rows.push(...postgresRows(wasm.value));
  else if (wasm)
    rows.push({
      what: 'Upload and decrypt, WASM backend',
      figure: why(wasm),
      target: '≤ 1.5× Postgres; read ≥ 70 % of raw',
      verdict: 'not measured',
    });
  if (!o.ok) return rows;
  const u = o.value;
  if ('runs' in u.s3) {
    rows.push(
      throughputRow(
        `Upload+encrypt into the S3 store, against s3rver on local disk (not MinIO) (${mib(u.bytes)})`,
        u.s3.runs,
        up,
        (r) => r.upload.mbPerSec,
        (r) => r.rawEncrypt.mbPerSec,
        'encrypt',
        false,
      ),
      throughputRow(
        `Decrypt: S3 store read (s3rver on local disk) → createDecryptStream (${mib(u.bytes)})`,
        u.s3.runs,
        down,
        (r) => r.decrypt.mbPerSec,
        (r) => r.rawDecrypt.mbPerSec,
        'decrypt',
        false,
      ),
    );
  } else {
    rows.push({
      what: 'Upload and decrypt through the S3 store (s3rver)',
      figure: `not measured: ${u.s3.skipped.replace(/\s+/g, ' ').slice(0, 300)}`,
      target: 'extra row',
      verdict: 'not measured',
    });
  }
  if (u.rss) {
    const serverGrowth = u.rss.serverMaxMiB - u.rss.serverBeforeMiB;
    const clientGrowth = u.rss.clientMaxMiB - u.rss.clientBeforeMiB;
    // The target is 100 MB (10^6); growth is read in MiB, so compare in bytes.
    const growthMet = Math.max(serverGrowth, clientGrowth) * MiB < 100e6;
    rows.push({
      what: `RSS growth uploading a ${mib(u.rss.bytes)} file${u.rss.bytes < 2 * 1024 * MiB ? ' (not the 2 GiB target: BENCH_UPLOAD_BYTES is set)' : ''}`,
      figure: `server +${f1(serverGrowth)} MiB (${f1(u.rss.serverBeforeMiB)} → max ${f1(u.rss.serverMaxMiB)}), bench client +${f1(clientGrowth)} MiB`,
      target: '< 100 MB (for 2 GB)',
      verdict: verdict(growthMet),
    });
  }
  return rows;
}

const shares = (c: Record<string, number>): string =>
  Object.entries(c)
    .map(([k, v]) => `${k} ${v.toFixed(2)}`)
    .join(', ');

/**
 * Raw CPU per MiB over the busiest process's: the ratio the path would reach if every
 * process had a core of its own (each stage runs in parallel with the others).
 */
const cpuBound = (raw: number, c: Record<string, number>): number =>
  raw / Math.max(...Object.values(c));

/** Cores the processes share; the machine the report is written on is the one that ran it. */
const CORES = availableParallelism();

/**
 * Raw CPU per MiB over all processes' together, shared by CORES cores: the most the path can
 * reach on this machine, however well its stages overlap. Below 70 % the target is out of
 * reach here without cutting CPU per byte somewhere.
 */
const coreBound = (raw: number, c: Record<string, number>): number =>
  raw / (Object.values(c).reduce((a, b) => a + b, 0) / CORES);

function cpuLines(name: string, runs: readonly UploadRun[]): string[] {
  return runs.map(
    (r, i) =>
      `- ${name}, run ${i + 1}, CPU ms per MiB of plaintext: raw encrypt ${r.cpu.rawEncrypt.toFixed(2)}, ` +
      `raw decrypt ${r.cpu.rawDecrypt.toFixed(2)}; upload: ${shares(r.cpu.upload)} ` +
      `(busiest-process bound ${pct(cpuBound(r.cpu.rawEncrypt, r.cpu.upload))} of raw, ` +
      `${CORES}-core ceiling ${pct(coreBound(r.cpu.rawEncrypt, r.cpu.upload))}); ` +
      `read+decrypt: ${shares(r.cpu.decrypt)} ` +
      `(bound ${pct(cpuBound(r.cpu.rawDecrypt, r.cpu.decrypt))}, ` +
      `${CORES}-core ceiling ${pct(coreBound(r.cpu.rawDecrypt, r.cpu.decrypt))}).`,
  );
}

function runLines(name: string, runs: readonly UploadRun[]): string[] {
  return runs.map(
    (r, i) =>
      `- ${name}, run ${i + 1}: upload ${f1(r.upload.mbPerSec)} MB/s (${pct(up(r))}), read+decrypt ` +
      `${f1(r.decrypt.mbPerSec)} MB/s (${pct(down(r))}); raw secretstream ${f1(r.rawEncrypt.mbPerSec)} / ` +
      `${f1(r.rawDecrypt.mbPerSec)} MB/s; crypto streams alone in memory ` +
      `${f1(r.encryptStream.mbPerSec)} / ${f1(r.decryptStream.mbPerSec)} MB/s ` +
      `(${pct(r.encryptStream.mbPerSec / r.rawEncrypt.mbPerSec)} / ` +
      `${pct(r.decryptStream.mbPerSec / r.rawDecrypt.mbPerSec)} of raw).`,
  );
}

export function uploadDetails(o: Outcome<UploadFigures>, wasm?: Outcome<UploadFigures>): string[] {
  if (!o.ok) return [];
  const u = o.value;
  const w = wasm?.ok ? wasm.value : undefined;
  return [
    ...runLines(`Postgres store (${u.backend})`, u.postgres.runs),
    ...cpuLines(`Postgres store (${u.backend})`, u.postgres.runs),
    ...(w
      ? [
          ...runLines('Postgres store (wasm)', w.postgres.runs),
          ...cpuLines('Postgres store (wasm)', w.postgres.runs),
        ]
      : []),
    ...('runs' in u.s3
      ? [...runLines('S3 store on s3rver', u.s3.runs), ...cpuLines('S3 store on s3rver', u.s3.runs)]
      : []),
    ...(u.rss
      ? [
          `- Upload RSS: ${mib(u.rss.bytes)} uploaded in ${u.rss.seconds.toFixed(1)} s (${f1(u.rss.bytes / 1e6 / u.rss.seconds)} MB/s); bench client RSS ${f1(u.rss.clientBeforeMiB)} → max ${f1(u.rss.clientMaxMiB)} MiB.`,
        ]
      : []),
  ];
}

export const UPLOAD_METHOD: string[] = [
  '- Upload throughput: MB = 10^6 bytes of plaintext per second. Raw = FileEncryptor/FileDecryptor',
  `  (crypto/file-cipher.ts, libsodium secretstream, 64 KiB chunks) over ${mib(THROUGHPUT_BYTES)} of generated bytes in`,
  '  a fresh child process each run (with the streams-alone figures), no streams, no I/O. Sori = the',
  '  same bytes through createEncryptStream, sent',
  `  as tus PATCHes of ${PATCH_BYTES / MiB} MiB (one keep-alive connection) to server/main.ts in a child process`,
  '  (POW_REQUIRED=false), stored as Postgres chunk rows (UPLOAD_CHUNK_BYTES default); decrypt =',
  '  PostgresBlobStore.read → createDecryptStream → a discarding sink, in the bench process. An 8 MiB',
  '  upload and read-back warms the path first. Both sides include Padmé padding.',
  `  ${REPEATS} runs (BENCH_UPLOAD_REPEATS); each run measures raw, the crypto streams alone, the upload and`,
  '  the read-back one after the other, and its ratios use its own raw figures (other benches may share',
  '  the machine). The S3 rows repeat this with BLOB_STORE=s3 against s3rver, a Node S3 server',
  '  writing files to local disk in its own child process: a functional stand-in, not MinIO or AWS.',
  '  CPU per MiB: utime+stime of the bench (client: encryption, HTTP, reads, decryption), the server',
  "  child, its Postgres backends and the reader pool's (found by application_name), and s3rver;",
  '  Postgres background processes (WAL writer, checkpointer) are not counted. Two bounds follow',
  '  from them: busiest-process = raw ÷ the busiest process (every process on a core of its own);',
  '  N-core ceiling = raw ÷ (all processes ÷ N cores), the most any overlap can reach on this machine.',
  '  Issue 17 judges the upload by CPU, not by a ratio to raw: server CPU per MiB stored against what',
  "  Postgres's backends spend storing it (≤ 1.5×); the server's share is mostly the ciphertext SHA-256",
  "  (node:crypto on the native backend, ~0.6 ms/MiB; libsodium's WASM build ~3.5 ms/MiB), the socket",
  '  reads and the pg protocol. The upload MB/s is reported beside raw secretstream, no target.',
  '  Both backends: the Postgres path runs again in a child with SORI_CRYPTO_BACKEND=wasm (bench',
  '  client and server child alike), same repetitions, without the S3 and RSS parts (BENCH_UPLOAD_PG_ONLY).',
  '  The in-memory figures hold ~0.5 GiB of ciphertext, hence their own process: measured in the bench',
  '  process, V8 then ran an incremental mark-compact every few MiB during the read-back that follows',
  "  and the read's client CPU doubled (8.6–11 vs 3.2–3.5 ms/MiB), a cost of the bench, not of Sori.",
  `- Upload RSS: a ${mib(RSS_BYTES)} upload (BENCH_UPLOAD_BYTES; 2 GiB is the target size) generated 64 KiB at`,
  `  a time, never held whole; VmRSS of the server child (/proc/<pid>/status) and the bench's own RSS sampled`,
  `  every ${RSS_SAMPLE_MS} ms, growth = max during − value just before. The blob is deleted afterwards.`,
];
