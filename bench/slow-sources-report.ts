import type { Outcome, Row } from './report-row';
import {
  PATCH_BYTES,
  SLOW_RATE,
  SLOW_SECONDS,
  SLOW_UPLOADS,
  TEXT_RATE,
  TICK_MS,
  type SlowSourcesFigures,
} from './slow-sources';

// How bench/slow-sources.ts's figures read in BENCHMARKS.md.

const MiB = 1024 * 1024;

export function slowSourcesRows(o: Outcome<SlowSourcesFigures>): Row[] {
  const what = `Many slow sources: ${SLOW_UPLOADS} tus uploads at ${SLOW_RATE / 1000} KB/s each for ~${SLOW_SECONDS} s, text submissions at ${TEXT_RATE}/s`;
  const target = 'all byte-identical; server RSS growth < 150 MB; text p99 < 100 ms';
  if (!o.ok)
    return [
      { what, figure: `not measured: ${o.why.slice(0, 300)}`, target, verdict: 'not measured' },
    ];
  const v = o.value;
  const growth = v.serverRssMaxMiB - v.serverRssBeforeMiB;
  const met =
    v.identical === v.uploads &&
    growth * MiB < 150e6 &&
    v.text.p99Ms < 100 &&
    v.text.ok === v.text.sent;
  return [
    {
      what,
      figure:
        `${v.identical} of ${v.uploads} uploads byte-identical (${(v.bytesEach / 1e6).toFixed(1)} MB each, ${v.seconds.toFixed(0)} s); ` +
        `server RSS +${growth.toFixed(1)} MiB (${v.serverRssBeforeMiB.toFixed(0)} → max ${v.serverRssMaxMiB.toFixed(0)}); ` +
        `text ${v.text.ok} of ${v.text.sent} answered 202, p50 ${v.text.p50Ms.toFixed(1)} ms, p99 ${v.text.p99Ms.toFixed(1)} ms, max ${v.text.maxMs.toFixed(0)} ms`,
      target,
      verdict: met ? 'met' : '**not met**',
    },
  ];
}

export function slowSourcesDetails(o: Outcome<SlowSourcesFigures>): string[] {
  if (!o.ok || o.value.errors.length === 0) return [];
  return [`- Many slow sources, first errors: ${o.value.errors.join('; ').slice(0, 600)}.`];
}

export const SLOW_SOURCES_METHOD = [
  `- Many slow sources: a fresh server (no worker); ${SLOW_UPLOADS} tus uploads (BENCH_SLOW_UPLOADS) start over one`,
  `  second, each on its own connection, each sending a real v1 ciphertext in ${PATCH_BYTES / MiB} MiB PATCHes (as the`,
  `  browser) paced to ${SLOW_RATE / 1000} KB/s (BENCH_SLOW_RATE) every ${TICK_MS} ms, ~${SLOW_SECONDS} s (BENCH_SLOW_SECONDS). Text`,
  `  envelopes are posted open-loop at ${TEXT_RATE}/s meanwhile; p99 is of their 202s. Server VmRSS sampled every`,
  '  200 ms. Afterwards every upload is read from the store and its SHA-256 compared with what was sent.',
];
