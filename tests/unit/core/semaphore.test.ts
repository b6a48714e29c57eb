import { createSemaphore } from '../../../core/semaphore';

describe('createSemaphore', () => {
  it('lets at most `size` run at once and the rest in arrival order', async () => {
    const gate = createSemaphore(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const releases: Array<() => void> = [];
    const jobs = Array.from({ length: 5 }, (_, i) =>
      gate.run(async () => {
        running += 1;
        most = Math.max(most, running);
        order.push(i);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
        return i;
      }),
    );
    for (let done = 0; done < 5; done++) {
      await new Promise((r) => setImmediate(r));
      expect(running).toBe(Math.min(2, 5 - done));
      releases.shift()!();
    }
    expect(await Promise.all(jobs)).toEqual([0, 1, 2, 3, 4]);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it('frees the place when the work throws', async () => {
    const gate = createSemaphore(1);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(async () => 'next')).resolves.toBe('next');
  });

  it('refuses a size below 1', () => {
    expect(() => createSemaphore(0)).toThrow(RangeError);
  });
});
