import { createBodySlots, type BodySlot } from '../../../server/pow/body-slots';

// The no-JS body places (issue 11), on a clock of the test's own: a minimum rate that rises as
// the places fill, and a newcomer that evicts the slowest (oldest first among equals).

const settings = { slots: 4, windowMs: 1000, minRate: 100, scarceMinRate: 1000 };

function setup() {
  let t = 0;
  const slots = createBodySlots(settings, () => t);
  const evicted: string[] = [];
  const take = (name: string): BodySlot => {
    const slot = slots.acquire();
    if (!slot) throw new Error(`no place for ${name}`);
    slot.onEvict((err) => evicted.push(`${name}:${err.code}`));
    return slot;
  };
  return {
    slots,
    evicted,
    take,
    advance(ms: number) {
      t += ms;
    },
  };
}

describe('no-JS body places', () => {
  it('asks more of every body as the places fill up', () => {
    const { slots, take } = setup();
    expect(slots.required()).toBe(100);
    const held = [take('a'), take('b')];
    expect(slots.required()).toBe(100); // half taken: still the floor
    held.push(take('c'));
    expect(slots.required()).toBe(550);
    held.push(take('d'));
    expect(slots.required()).toBe(1000);
    held[0]!.release();
    expect(slots.required()).toBe(550);
  });

  it('lets go of a body below the rate required once its window closes', () => {
    const { slots, take, advance, evicted } = setup();
    const fast = take('fast');
    const slow = take('slow');
    fast.progress(5000);
    slow.progress(50); // 50 B/s: below even the floor
    advance(1000);
    expect(slots.acquire()).not.toBeNull(); // acquiring measures the windows that closed
    expect(evicted).toEqual(['slow:UPLOAD_TOO_SLOW']);
    expect(slots.size).toBe(2);
  });

  it('at a full house, lets every body below the scarce rate go and seats the newcomer', () => {
    const { slots, take, advance, evicted } = setup();
    const a = take('a');
    advance(10);
    const b = take('b');
    const c = take('c');
    const d = take('d');
    // Measured at rates between what a plentiful and a scarce place demands.
    for (const [slot, bytes] of [
      [a, 400],
      [b, 400],
      [c, 900],
      [d, 5000],
    ] as const)
      slot.progress(bytes);
    advance(1000); // a's window (1010 ms) and the others' (1000 ms) close now
    const outcome = slots.acquire(); // measures: required is 1000 at a full house
    expect(outcome).not.toBeNull();
    // The rising minimum let a, b and c go (below 1000 B/s); d keeps moving.
    expect(evicted.sort()).toEqual(['a:UPLOAD_TOO_SLOW', 'b:UPLOAD_TOO_SLOW', 'c:UPLOAD_TOO_SLOW']);
  });

  it('evicts for a newcomer the slowest body the floor tolerated, the oldest among equals', () => {
    for (const [oldBytes, youngBytes, expected] of [
      [505, 500, 'old'], // 500 B/s each: equal, so the older
      [1000, 300, 'young'], // the slower, though younger
    ] as const) {
      let t = 0;
      const slots = createBodySlots(settings, () => t);
      const evicted: string[] = [];
      const old = slots.acquire()!;
      old.onEvict(() => evicted.push('old'));
      t = 10;
      const young = slots.acquire()!;
      young.onEvict(() => evicted.push('young'));
      old.progress(oldBytes);
      young.progress(youngBytes);
      t = 1010; // old's window ran 1010 ms, young's 1000 ms
      expect(slots.acquire()).not.toBeNull(); // measured at half a house: the floor, both kept
      expect(slots.acquire()).not.toBeNull(); // a full house now
      expect(evicted).toEqual([]);
      expect(slots.acquire()).not.toBeNull(); // the newcomer takes a place
      expect(evicted).toEqual([expected]);
    }
  });

  it('never evicts a body younger than its grace, nor one already read in full', () => {
    const { slots, take, advance, evicted } = setup();
    const done = take('done');
    done.complete();
    take('x');
    take('y');
    take('z');
    expect(slots.acquire()).toBeNull(); // all fresh: nobody to evict, the newcomer is refused
    advance(5000);
    slots.acquire(); // x, y, z sent nothing for a window at a full house: let go
    expect(evicted.sort()).toEqual(['x:UPLOAD_TOO_SLOW', 'y:UPLOAD_TOO_SLOW', 'z:UPLOAD_TOO_SLOW']);
    done.release();
    done.release(); // idempotent
    expect(slots.size).toBe(1);
  });

  it('judges a body younger than a window on its rate so far, so reconnecting cannot hold places', () => {
    const { slots, take, advance, evicted } = setup();
    const bodies = ['a', 'b', 'c', 'd'].map((name) => ({ name, slot: take(name) }));
    advance(200); // inside the grace: nobody judged yet
    expect(slots.acquire()).toBeNull();
    for (const { name, slot } of bodies) slot.progress(name === 'b' ? 20 : 500); // b: 80 B/s so far
    advance(50); // a quarter window: judged on their rate so far
    const newcomer = slots.acquire();
    expect(newcomer).not.toBeNull();
    expect(evicted).toEqual(['b:UPLOAD_TOO_SLOW']);
    // Bodies keeping up the scarce rate so far are not evicted for the next newcomer.
    for (const { name, slot } of bodies) if (name !== 'b') slot.progress(5000);
    newcomer!.progress(5000);
    expect(slots.acquire()).toBeNull();
  });
});
