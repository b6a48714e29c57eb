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

// The worker drain's CPU ceiling (cpu-ceiling.ts): the worker's main thread (Linux schedstat; the
// whole process's CPU elsewhere), and worker, Postgres, Redis and server sharing the cores; the
// bench's poller and unrelated processes are not counted. The detail says what the main thread's
// time per record is made of, and where the rest of the drain went (waiting for a core, or idle).

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
  if (!c) return null;
  // The main thread is what one process cannot spread over cores; GC and compiler threads can.
  const threadMs = d.mainThread ? (d.mainThread.runSeconds * 1000) / d.count : c.mainMs;
  return {
    workerMs: c.mainMs,
    threadMs,
    totalMs: c.totalMs,
    workerBound: (d.processes * 1000) / threadMs,
    coreCeiling: c.coreCeiling,
    /** The worker processes' CPU over the drain, in cores per process. */
    busy: (d.cpu.worker ?? 0) / d.seconds / d.processes,
  };
}

const who = (d: DrainFigures): string =>
  d.processes === 1 ? 'one worker process' : `${d.processes} worker processes`;

const pct0 = (x: number): string => `${Math.round(x * 100)} %`;

/** Where the worker's time went: on a core, waiting for one, or with nothing to run. */
function where(d: DrainFigures, busy: number): string {
  const m = d.mainThread;
  if (!m)
    return `Its CPU came to ${pct0(busy)} of a core per process over the drain; the rest of the time it was waiting, on Postgres or Redis or for a core.`;
  const span = d.seconds * d.processes;
  const idle = Math.max(0, 1 - (m.runSeconds + m.queuedSeconds) / span);
  return (
    `Its main thread ran ${pct0(m.runSeconds / span)} of the drain (the process's CPU, GC helpers included, ${pct0(busy)} of a core), ` +
    `waited for a core ${pct0(m.queuedSeconds / span)} (other processes had them), and had nothing to run ${pct0(idle)}: every job in flight waiting on Postgres or Redis.`
  );
}

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
  const ms = (x: number): string => `${x.toFixed(2)} ms`;
  const thread = d.mainThread
    ? `, ${ms(c.threadMs)} of it on its main thread (the rest on GC and compiler threads beside it)`
    : '';
  const pk = d.publicKeyMs;
  const split =
    pk === undefined
      ? ''
      : ` Public-key cryptography every record needs takes ${ms(pk)} of the main thread's time (its sealed key opened, the record key sealed to each reviewer, one custody signature; timed alone in the bench process); the JavaScript around it (BullMQ, pg, JSON, text) the other ${ms(c.threadMs - pk)}.`;
  const perProcess = TARGET / d.processes;
  const busyNeeded = (perProcess * c.threadMs) / 1000;
  const reach =
    busyNeeded > 1
      ? `more than a whole core per main thread at ${ms(c.threadMs)}: out of reach without less CPU per record`
      : `a main thread at ≤ ${ms(1000 / perProcess)} per record on a core all the time, or at ${ms(c.threadMs)} on a core ${pct0(busyNeeded)} of the time`;
  return (
    `  Ceiling: the worker spends ${ms(c.workerMs)} CPU per record${thread}; the main thread bounds ${who(d)} at ${n0(c.workerBound)} records/s.${split} ` +
    `${where(d, c.busy)} ` +
    `${n0(TARGET)} records/s from ${who(d)} takes ${reach}. ` +
    `Worker, Postgres, Redis and server together ${ms(c.totalMs)} (${CORES}-core ceiling ${n0(c.coreCeiling)} records/s).`
  );
}
