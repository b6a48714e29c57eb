import { initCrypto } from '../crypto';
import { benchBaselineExpress } from './baseline-express';
import { benchBaselinePg } from './baseline-pg';
import { buildEnvelopes, drawKeys, testimonyText } from './fixtures';
import { benchIntake } from './intake';
import { describeMachine } from './machine';
import { printResults, writeReport, type Results } from './report';
import type { Outcome } from './report-row';
import { benchLongRun } from './long-run';
import { benchJail } from './jail';
import { benchSanitise } from './sanitise';
import { benchRendition } from './rendition';
import { benchDesk } from './desk';
import { benchSlowSources } from './slow-sources';
import { benchPipeline } from './sori-pipeline';
import { measureInChild } from './children';
import type { UploadFigures } from './upload';

// `npm run bench`: every figure from one run on one machine, written to BENCHMARKS.md.
// Order: baselines, Sori's intake API, then the worker (drain, then latency under load).

// BENCH_ONLY=express,pg,intake,pipeline,upload,upload-wasm,slow,long,sanitise,jail,desk,rendition runs a subset (for profiling) and leaves BENCHMARKS.md
// alone: the file only ever holds a full run.
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const wanted = (section: string): boolean => !only || only.includes(section);
const skipped = { ok: false as const, why: 'skipped (BENCH_ONLY)' };

async function attempt<T>(
  section: string,
  label: string,
  fn: () => Promise<T>,
): Promise<Outcome<T>> {
  if (!wanted(section)) return skipped;
  process.stdout.write(`bench: ${label}...\n`);
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    process.stdout.write(`bench: ${label} not measured: ${why}\n`);
    return { ok: false, why };
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  await initCrypto();
  const machine = await describeMachine();
  const keys = drawKeys();
  const envelopeJson = JSON.stringify(buildEnvelopes(keys.intake, 1, testimonyText())[0]);

  const express = await attempt('express', 'baseline (a) express', () =>
    benchBaselineExpress(envelopeJson),
  );
  const pg = await attempt('pg', 'baseline (b) pg', () => benchBaselinePg());
  const intake = await attempt('intake', 'sori intake', () => benchIntake(keys, envelopeJson));
  const { drain, latency } = wanted('pipeline')
    ? await benchPipeline().catch((err: unknown) => {
        const why = { ok: false as const, why: err instanceof Error ? err.message : String(err) };
        return { drain: why, latency: why };
      })
    : { drain: skipped, latency: skipped };
  // In a process of its own, like the raw figures inside it (see bench/upload.child.ts).
  const upload = await attempt('upload', 'upload throughput and RSS', () =>
    measureInChild<UploadFigures>('bench/upload.child.ts'),
  );
  // The same Postgres upload path on libsodium.js, client and server (issue 17: both backends).
  const uploadWasm = await attempt('upload-wasm', 'upload on the WASM backend', () =>
    measureInChild<UploadFigures>('bench/upload.child.ts', {
      SORI_CRYPTO_BACKEND: 'wasm',
      BENCH_UPLOAD_PG_ONLY: '1',
    }),
  );
  const slow = await attempt('slow', 'many slow sources', () => benchSlowSources());
  const longRun = await attempt('long', 'long run (worker RSS)', () => benchLongRun());
  const sanitise = await attempt('sanitise', 'sanitising vs mat2', () => benchSanitise());
  const desk = await attempt('desk', 'reviewer desk, 1,000 cases', () => benchDesk());
  const jail = await attempt('jail', 'sanitiser jail overhead', () => benchJail());
  const rendition = await attempt('rendition', 'safe rendition and OCR', () => benchRendition());

  const results: Results = {
    machine,
    express,
    pg,
    intake,
    drain,
    latency,
    upload,
    uploadWasm,
    slow,
    longRun,
    sanitise,
    desk,
    jail,
    rendition,
    totalSeconds: (Date.now() - started) / 1000,
  };
  printResults(results);
  if (only) process.stdout.write('bench: partial run (BENCH_ONLY), BENCHMARKS.md left as it was\n');
  else process.stdout.write(`bench: written to ${writeReport(results)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(
      `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
