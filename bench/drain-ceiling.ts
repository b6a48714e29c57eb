import {
  generateBoxKeyPair,
  generateSignKeyPair,
  newRecordKey,
  openSealedKey,
  sealKey,
  sign,
  utf8,
  wrapRecordKeyToMany,
} from '../crypto';
import { CORES, cpuCeiling, n0 } from './cpu-ceiling';
import type { DrainFigures } from './pipeline';

// The worker drain's CPU ceiling (cpu-ceiling.ts): the worker's own thread, and worker, Postgres,
// Redis and server sharing the cores; the bench's poller and unrelated processes are not counted.
// What bounds one process is said in parts: its CPU per record (of which the public-key work no
// record can skip, timed alone here), and the share of the drain its thread was busy.

const SORI_PROCESSES = ['worker', 'postgres', 'redis', 'server'];
const TARGET = 1000; // records/s, issue 17

/**
 * CPU ms per record of the public-key cryptography every record needs, timed alone in this
 * process (same libsodium build as the worker): the submission's sealed key opened, the record
 * key sealed to each reviewer, one custody signature.
 */
export function publicKeyMsPerRecord(reviewers: number, rounds = 300): number {
  const intake = generateBoxKeyPair();
  const sealed = sealKey(newRecordKey(), intake.publicKey);
  const reviewerKeys = Array.from({ length: reviewers }, () => generateBoxKeyPair().publicKey);
  const signer = generateSignKeyPair();
  const entry = utf8('x'.repeat(300));
  const once = (): void => {
    openSealedKey(sealed, intake);
    wrapRecordKeyToMany(newRecordKey(), reviewerKeys);
    sign(entry, signer.secretKey);
  };
  for (let i = 0; i < 20; i++) once();
  const t0 = process.cpuUsage();
  for (let i = 0; i < rounds; i++) once();
  const used = process.cpuUsage(t0);
  return (used.user + used.system) / 1000 / rounds;
}

function drainCeiling(d: DrainFigures) {
  const c = cpuCeiling(d.cpu, d.count, { name: 'worker', processes: d.processes }, SORI_PROCESSES);
  return (
    c && {
      workerMs: c.mainMs,
      totalMs: c.totalMs,
      workerBound: c.mainBound,
      coreCeiling: c.coreCeiling,
      /** Share of the drain each worker process's thread was on a core (1 = never waited). */
      busy: (d.cpu.worker ?? 0) / d.seconds / d.processes,
    }
  );
}

const who = (d: DrainFigures): string =>
  d.processes === 1 ? 'one worker process' : `${d.processes} worker processes`;

const pct0 = (x: number): string => `${Math.round(x * 100)} %`;

/** For the results row: the lower of the two bounds. */
export function drainCeilingFigure(d: DrainFigures): string {
  const c = drainCeiling(d);
  if (!c) return '';
  return `; CPU ceiling ${n0(Math.min(c.workerBound, c.coreCeiling))} records/s (${who(d)} ${n0(c.workerBound)}, ${CORES} cores ${n0(c.coreCeiling)})`;
}

/** For the details: the costs behind the ceiling, and what 1,000 records/s would take. */
export function drainCeilingDetail(d: DrainFigures): string | null {
  const c = drainCeiling(d);
  if (!c) return null;
  const pk = d.publicKeyMs;
  const split =
    pk === undefined
      ? ''
      : ` Of those ${c.workerMs.toFixed(2)} ms, ${pk.toFixed(2)} ms is public-key cryptography every record needs (its sealed key opened, the record key sealed to each reviewer, one custody signature; timed alone in the bench process) and ${(c.workerMs - pk).toFixed(2)} ms the JavaScript around it (BullMQ, pg, JSON, text, GC).`;
  const perProcess = TARGET / d.processes;
  const busyNeeded = (perProcess * c.workerMs) / 1000;
  const reach =
    busyNeeded > 1
      ? `more than a whole core each at ${c.workerMs.toFixed(2)} ms: out of reach without less CPU per record`
      : `≤ ${(1000 / perProcess).toFixed(2)} ms per record at 100 % of a core, or ${pct0(busyNeeded)} of a core at ${c.workerMs.toFixed(2)} ms`;
  return (
    `  Ceiling: the worker spends ${c.workerMs.toFixed(2)} CPU ms per record (bound ${n0(c.workerBound)} records/s for ${who(d)} at a whole core each).${split} ` +
    `Its CPU came to ${pct0(c.busy)} of a core per process over the drain; the rest of the time every job in flight was waiting on Postgres or Redis. ` +
    `${n0(TARGET)} records/s from ${who(d)} takes ${reach}. ` +
    `Worker, Postgres, Redis and server together ${c.totalMs.toFixed(2)} ms (${CORES}-core ceiling ${n0(c.coreCeiling)} records/s).`
  );
}
