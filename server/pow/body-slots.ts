import { AppError, E } from '../../core/errors';

// The few places for no-JS form bodies being read go to bodies that keep moving: a body below
// the rate required (rising as the places fill) is let go with 408 UPLOAD_TOO_SLOW, and a
// newcomer evicts the slowest. server/page/PAGE.md (anti-abuse) has the figures.

export interface BodySlotSettings {
  /** Bodies read at once. */
  slots: number;
  /** The window a body's rate is measured over (and a new body's grace). */
  windowMs: number;
  /** Bytes per second a body must keep up while at most half the places are taken. */
  minRate: number;
  /** ... rising linearly to this when every place is taken. */
  scarceMinRate: number;
}

export interface BodySlot {
  /** Bytes of the body that just arrived. */
  progress(bytes: number): void;
  /** `cb` is called once if the place is taken back (the body was too slow). */
  onEvict(cb: (err: AppError) => void): void;
  /** The body is in: it keeps its place (until released) but is no longer measured. */
  complete(): void;
  /** Gives the place back (idempotent; an evicted body's place is already free). */
  release(): void;
}

export const tooSlow = () => new AppError(E.UPLOAD_TOO_SLOW);

interface Held {
  since: number;
  windowStart: number;
  windowBytes: number;
  /** Bytes per second over the last full window; null until one has passed. */
  rate: number | null;
  evicted: ((err: AppError) => void) | null;
  out: boolean;
  wasEvicted: boolean;
  complete: boolean;
}

export interface BodySlots {
  /** A place, evicting the slowest body if all are taken; null when none can be had. */
  acquire(): BodySlot | null;
  /** The rate a body must keep up now (bytes per second). */
  required(): number;
  readonly size: number;
}

export function createBodySlots(s: BodySlotSettings, now: () => number = Date.now): BodySlots {
  const held = new Set<Held>();
  let timer: NodeJS.Timeout | undefined;

  const required = (): number => {
    const taken = held.size / s.slots;
    if (taken <= 0.5) return s.minRate;
    return s.minRate + ((s.scarceMinRate - s.minRate) * (taken - 0.5)) / 0.5;
  };

  function release(h: Held): void {
    if (h.out) return;
    h.out = true;
    held.delete(h);
    if (held.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  function evict(h: Held): void {
    release(h);
    h.wasEvicted = true;
    const cb = h.evicted;
    h.evicted = null;
    cb?.(tooSlow());
  }

  /** Closes every window that is due and lets go of the bodies that fell behind. */
  function measure(): void {
    const t = now();
    const need = required(); // as it stands before anyone is let go
    for (const h of [...held]) {
      if (h.complete) continue;
      const elapsed = t - h.windowStart;
      if (elapsed < s.windowMs) continue;
      h.rate = (h.windowBytes * 1000) / elapsed;
      h.windowStart = t;
      h.windowBytes = 0;
      if (h.rate < need) evict(h);
    }
  }

  /** A body's last full window's rate, or its rate so far once past a quarter window. */
  function rateOf(h: Held, t: number): number | null {
    if (h.rate !== null) return h.rate;
    const elapsed = t - h.windowStart;
    return elapsed * 4 >= s.windowMs ? (h.windowBytes * 1000) / elapsed : null;
  }

  /** The slowest judged body below the scarce rate, the oldest first among equals. */
  function slowest(): Held | undefined {
    const t = now();
    let pick: { h: Held; rate: number } | undefined;
    for (const h of held) {
      const rate = h.complete ? null : rateOf(h, t);
      if (rate === null || rate >= s.scarceMinRate) continue;
      if (!pick || rate < pick.rate || (rate === pick.rate && h.since < pick.h.since))
        pick = { h, rate };
    }
    return pick?.h;
  }

  return {
    required,
    get size() {
      return held.size;
    },
    acquire() {
      measure();
      if (held.size >= s.slots) {
        const victim = slowest();
        if (!victim) return null;
        evict(victim);
      }
      const t = now();
      const h: Held = {
        since: t,
        windowStart: t,
        windowBytes: 0,
        rate: null,
        evicted: null,
        out: false,
        wasEvicted: false,
        complete: false,
      };
      held.add(h);
      if (!timer) {
        // A quarter window: a window is closed at most a quarter late.
        timer = setInterval(measure, Math.max(1, Math.floor(s.windowMs / 4)));
        timer.unref();
      }
      return {
        progress(bytes) {
          h.windowBytes += bytes;
        },
        onEvict(cb) {
          if (h.wasEvicted) cb(tooSlow());
          else h.evicted = cb;
        },
        complete() {
          h.complete = true;
          h.evicted = null;
        },
        release: () => release(h),
      };
    },
  };
}
