import { ByteQueue } from '../../../crypto/byte-queue';

// The file readers take whole frames out of this queue: a view when one write holds the frame,
// a copy of only the frame's bytes when it spans writes.

const bytes = (from: number, n: number): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);

describe('ByteQueue.take', () => {
  it('gives a view of the one part that holds the bytes, and keeps the rest', () => {
    const q = new ByteQueue();
    const part = bytes(0, 100);
    q.push(part);
    const first = q.take(30);
    expect(first).toEqual(bytes(0, 30));
    expect(first.buffer).toBe(part.buffer); // not copied
    expect(q.length).toBe(70);
    expect(q.first()).toBe(30);
    expect(q.take(70)).toEqual(bytes(30, 70));
    expect(q.length).toBe(0);
    expect(q.first()).toBeUndefined();
  });

  it('joins exactly the bytes asked for when they span parts, leaving the tail queued', () => {
    const q = new ByteQueue();
    q.push(bytes(0, 10));
    q.push(bytes(10, 5));
    q.push(new Uint8Array(0)); // ignored
    q.push(bytes(15, 20));
    expect(q.length).toBe(35);
    expect(q.take(12)).toEqual(bytes(0, 12));
    expect(q.take(13)).toEqual(bytes(12, 13));
    expect(q.length).toBe(10);
    expect(q.take(10)).toEqual(bytes(25, 10));
  });

  it('takes a frame written one byte at a time without quadratic work', () => {
    const q = new ByteQueue();
    const n = 65536 + 17;
    const all = bytes(7, n + 3);
    for (let i = 0; i < all.length; i++) q.push(all.subarray(i, i + 1));
    // Quadratic work would be removing the parts one by one (each an O(parts) array shift);
    // the parts wholly taken must go in one splice. Counted on the queue's own array, not timed.
    const calls: string[] = [];
    const internal = q as unknown as { parts: unknown[] };
    internal.parts = new Proxy(internal.parts, {
      get(target, key, receiver) {
        if (key === 'shift' || key === 'splice') calls.push(key);
        return Reflect.get(target, key, receiver);
      },
    });
    const got = q.take(n);
    expect(calls).toEqual(['splice']);
    expect(Buffer.compare(got, all.subarray(0, n))).toBe(0); // not toEqual: it walks 65 553 bytes
    expect(q.take(3)).toEqual(all.subarray(n));
  });
});
