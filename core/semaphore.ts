// A counting semaphore for one process: at most `size` holders at once, the rest wait in
// arrival order. Used where a few expensive operations (files held in memory) must not run
// as many at once as the cheap ones around them.

export interface Semaphore {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function createSemaphore(size: number): Semaphore {
  if (!(Number.isInteger(size) && size >= 1)) throw new RangeError('semaphore size must be ≥ 1');
  let held = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next)
      next(); // the place passes straight on: `held` is unchanged
    else held -= 1;
  };
  return {
    async run(work) {
      if (held < size) held += 1;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}
