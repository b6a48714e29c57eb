import { AppError, E } from '../../core/errors';
import { createBodySlots, type BodySlot } from './body-slots';
import { memoryLoadMeter, type LoadMeter } from './load-meter';

// The gate on the no-JS posts, which cannot solve a proof of work and each derive Argon2id: a
// per-minute budget, spent only at a derivation, and `concurrency` derivations at once. It
// counts per minute and knows no one. Why each part: server/page/PAGE.md (anti-abuse).

export interface NoJsGateSettings {
  /** Derivations / sealings worked on at once. */
  concurrency: number;
  /** How many may wait for a slot; beyond that, busy at once. */
  queue: number;
  /** How long one may wait in the queue before being told to come back. */
  queueTimeoutMs: number;
  /** No-JS posts let in per minute while nobody is being turned away. */
  perMinute: number;
  /** Form bodies (files streaming in) read at once; beyond that, busy at once. */
  bodies: number;
  /** How long a fully received form may wait for a slot to be sealed. */
  sealTimeoutMs: number;
  /** The budget never tightens below this. */
  minPerMinute: number;
  /** Refusals per minute above which each doubling halves the budget. */
  refusalThreshold: number;
  /** The window a body's rate is measured over (body-slots.ts). */
  bodyWindowMs: number;
  /** Bytes per second a body must keep up while half the body places or fewer are taken... */
  bodyMinRate: number;
  /** ... rising to this when all are (and below it, a newcomer may evict the slowest). */
  bodyScarceMinRate: number;
}

export const NOJS_GATE_DEFAULTS: NoJsGateSettings = {
  concurrency: 2,
  queue: 4,
  queueTimeoutMs: 20_000,
  bodies: 16,
  sealTimeoutMs: 120_000,
  perMinute: 120,
  minPerMinute: 10,
  refusalThreshold: 10,
  bodyWindowMs: 30_000,
  bodyMinRate: 1024,
  bodyScarceMinRate: 16 * 1024,
};

/** "Busy, try again in a minute": a 503 with Retry-After, never an internal error. */
export const BUSY_RETRY_AFTER_SECONDS = 60;
export const busyError = () => new AppError(E.PAGE_BUSY);

export interface NoJsGate {
  /** Runs `work` inside a slot, or throws PAGE_BUSY (503) without running it. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /**
   * For a form whose body is still to be read: gives it a body place (or throws PAGE_BUSY),
   * then runs `work`, which reads the body (reporting its progress to `body`, and failing when
   * `body` is evicted) and calls `slot` for its derivation and sealing: that spends the budget
   * and waits up to `sealTimeoutMs` for a slot.
   */
  stream<T>(
    work: (slot: <U>(fn: () => Promise<U>) => Promise<U>, body: BodySlot) => Promise<T>,
  ): Promise<T>;
  /** The budget in force this minute (for tests and logs). */
  budget(): Promise<number>;
}

/** base, halved per doubling of the refusals above `threshold`, never below `min`. */
export function budgetFor(
  refusedPerMinute: number,
  o: { base: number; min: number; threshold: number },
): number {
  if (refusedPerMinute <= o.threshold) return o.base;
  const halvings = Math.ceil(Math.log2(refusedPerMinute / o.threshold));
  return Math.max(o.min, Math.floor(o.base / 2 ** Math.min(halvings, 30)));
}

const minuteOf = (ms: number): number => Math.floor(ms / 60_000);

export function createNoJsGate(
  settings: Partial<NoJsGateSettings> = {},
  now: () => number = Date.now,
): NoJsGate {
  const s: NoJsGateSettings = { ...NOJS_GATE_DEFAULTS, ...settings };
  const refused: LoadMeter = memoryLoadMeter(now);
  const admitted = new Map<number, number>();
  let running = 0;
  const bodies = createBodySlots(
    {
      slots: s.bodies,
      windowMs: s.bodyWindowMs,
      minRate: s.bodyMinRate,
      scarceMinRate: Math.max(s.bodyMinRate, s.bodyScarceMinRate),
    },
    now,
  );
  const waiting: Array<{ go: () => void; counted: boolean }> = [];
  let queued = 0; // waiters that count against `queue` (receipt checks, not received forms)

  async function budget(): Promise<number> {
    return budgetFor(await refused.perMinute(), {
      base: s.perMinute,
      min: Math.min(s.minPerMinute, s.perMinute),
      threshold: s.refusalThreshold,
    });
  }

  /** Spends one unit of this minute's budget; the minute it was spent in, or null if none is left. */
  async function admit(): Promise<number | null> {
    const m = minuteOf(now());
    for (const k of admitted.keys()) if (k < m) admitted.delete(k);
    const used = admitted.get(m) ?? 0;
    if (used >= (await budget())) return null;
    admitted.set(m, used + 1);
    return m;
  }

  /** Gives back a unit spent for a body that never reached its derivation. */
  function refund(m: number): void {
    const used = admitted.get(m);
    if (used !== undefined && used > 0) admitted.set(m, used - 1);
  }

  async function refuse(): Promise<never> {
    await refused.record();
    throw busyError();
  }

  function release(): void {
    const next = waiting.shift();
    if (next) next.go();
    else running -= 1;
  }

  /**
   * A slot, waiting at most `timeoutMs`. `counted` waiters are bounded by `queue`; received
   * forms are not (the cap on bodies bounds them), so they never crowd out receipt checks.
   */
  async function acquire(timeoutMs: number, counted: boolean): Promise<void> {
    if (running < s.concurrency) {
      running += 1;
      return;
    }
    if (counted && queued >= s.queue) return refuse();
    if (counted) queued += 1;
    const got = await new Promise<boolean>((resolve) => {
      const entry = {
        counted,
        go: () => {
          clearTimeout(timer);
          resolve(true); // the slot passes straight from the releaser: `running` is unchanged
        },
      };
      const timer = setTimeout(() => {
        const at = waiting.indexOf(entry);
        if (at >= 0) waiting.splice(at, 1);
        resolve(false);
      }, timeoutMs);
      timer.unref();
      waiting.push(entry);
    });
    if (counted) queued -= 1;
    if (!got) return refuse();
  }

  return {
    budget,
    async run(work) {
      if ((await admit()) === null) return refuse();
      await acquire(s.queueTimeoutMs, true);
      try {
        return await work();
      } finally {
        release();
      }
    },
    async stream(work) {
      const body = bodies.acquire();
      // No body place is not the budget's business: it is not counted as a refusal either, or
      // a flood of bodies would tighten the budget for everyone.
      if (!body) throw busyError();
      // The budget is asked before the body is read, so that nobody uploads for minutes only
      // to be told "busy"; the unit is given back if the body never reaches its derivation
      // (malformed, too slow, evicted), so junk still costs the budget nothing.
      const spent = await admit();
      if (spent === null) {
        body.release();
        return refuse();
      }
      let derived = false;
      try {
        return await work(async (fn) => {
          // Read in full: no longer measured, but its place is held until it is sealed (the
          // places also bound the forms waiting for a slot).
          body.complete();
          derived = true;
          await acquire(s.sealTimeoutMs, false);
          try {
            return await fn();
          } finally {
            release();
          }
        }, body);
      } finally {
        if (!derived) refund(spent);
        body.release();
      }
    },
  };
}
