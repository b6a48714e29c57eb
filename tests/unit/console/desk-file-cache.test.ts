import { FileCache } from '../../../console/desk/file-cache';

// The desk keeps decrypted attachments in memory while unlocked so a player's range requests
// do not each fetch and decrypt the file again: one load per file, a byte budget, and nothing
// left (or left readable) after a lock.

describe('the desk file cache', () => {
  const bytes = (n: number, fill: number) => Buffer.alloc(n, fill);

  it('loads a file once for requests that come together, and again only after eviction', async () => {
    const cache = new FileCache(100);
    let loads = 0;
    const load = (fill: number) => async () => {
      loads += 1;
      return bytes(60, fill);
    };
    const [a, b] = await Promise.all([cache.get('a', load(1)), cache.get('a', load(1))]);
    expect(a).toBe(b);
    expect(loads).toBe(1);
    await cache.get('a', load(1));
    expect(loads).toBe(1);
    await cache.get('b', load(2)); // 120 bytes > 100: the least recently shown (a) goes
    expect(cache.size).toBe(1);
    await cache.get('a', load(1));
    expect(loads).toBe(3);
  });

  it('never keeps a file larger than the budget, but still serves it', async () => {
    const cache = new FileCache(10);
    const big = await cache.get('big', async () => bytes(50, 7));
    expect(big.length).toBe(50);
    expect(cache.size).toBe(0);
  });

  it('overwrites what it holds on lock, and does not keep a load that began before it', async () => {
    const cache = new FileCache(1000);
    const kept = await cache.get('a', async () => bytes(10, 9));
    let finish: (b: Buffer) => void = () => undefined;
    const late = cache.get('b', () => new Promise<Buffer>((resolve) => (finish = resolve)));
    cache.clear();
    expect([...kept]).toEqual(new Array(10).fill(0));
    finish(bytes(10, 5));
    await late;
    expect(cache.size).toBe(0);
  });
});
