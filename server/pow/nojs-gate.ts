import { AppError } from '../../core/errors';
import { memoryLoadMeter, type LoadMeter } from './load-meter';

// The no-JS form posts cannot solve a proof of work, and each one derives Argon2id (64 MiB)
// and may buffer up to 64 MiB of files. So, without identifying anyone: at most `concurrency`
// of them are worked on at once in this process, a few more wait in a short queue, and a
// global per-minute budget caps how many are let in at all. The budget tightens while the gate
// is turning people away (like the proof of work's difficulty under load). Nothing here knows
// who is asking: no address, no token, only counts per minute.

export interface NoJsGateSettings {
  /** Derivations / sealings worked on at once. */
  concurrency: number;
  /** How many may wait for a slot; beyond that, busy at once. */
  queue: number;
  /** How long one may wait in the queue before being told to come back. */
  queueTimeoutMs: number;
  /** No-JS posts let in per minute while nobody is being turned away. */
  perMinute: number;
  /** The budget never tightens below this. */
  minPerMinute: number;
  /** Refusals per minute above which each doubling halves the budget. */
  refusalThreshold: number;
}

export const NOJS_GATE_DEFAULTS: NoJsGateSettings = {
  concurrency: 2,
  queue: 4,
  queueTimeoutMs: 20_000,
  perMinute: 120,
  minPerMinute: 10,
  refusalThreshold: 10,
};

/** "Busy, try again in a minute": a 503 with Retry-After, never an internal error. */
export const BUSY_RETRY_AFTER_SECONDS = 60;
export const busyError = () => new AppError('PAGE_BUSY', 503, 'Busy: try again in a minute');

export interface NoJsGate {
  /** Runs `work` inside a slot, or throws PAGE_BUSY (503) without running it. */
  run<T>(work: () => Promise<T>): Promise<T>;
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
  const waiting: Array<{ go: () => void }> = [];

  async function budget(): Promise<number> {
    return budgetFor(await refused.perMinute(), {
      base: s.perMinute,
      min: Math.min(s.minPerMinute, s.perMinute),
      threshold: s.refusalThreshold,
    });
  }

  async function admit(): Promise<boolean> {
    const m = minuteOf(now());
    for (const k of admitted.keys()) if (k < m) admitted.delete(k);
    const used = admitted.get(m) ?? 0;
    if (used >= (await budget())) return false;
    admitted.set(m, used + 1);
    return true;
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

  async function acquire(): Promise<void> {
    if (running < s.concurrency) {
      running += 1;
      return;
    }
    if (waiting.length >= s.queue) return refuse();
    const got = await new Promise<boolean>((resolve) => {
      const entry = {
        go: () => {
          clearTimeout(timer);
          resolve(true); // the slot passes straight from the releaser: `running` is unchanged
        },
      };
      const timer = setTimeout(() => {
        const at = waiting.indexOf(entry);
        if (at >= 0) waiting.splice(at, 1);
        resolve(false);
      }, s.queueTimeoutMs);
      timer.unref();
      waiting.push(entry);
    });
    if (!got) return refuse();
  }

  return {
    budget,
    async run(work) {
      if (!(await admit())) return refuse();
      await acquire();
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}
