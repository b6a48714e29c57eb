import { Readable, Writable } from 'stream';
import { pipeline } from 'stream/promises';
import * as c from '../../../crypto';
import { runStream, streamError } from './helpers';

beforeAll(() => c.initCrypto());

const FRAME = 65536 + 17;
const data = (n: number): Uint8Array => c.randomBytes(n);
const encrypt = (k: Uint8Array, pt: Uint8Array, chunk?: number) =>
  runStream(c.createEncryptStream(k, pt.length), pt, chunk);

describe('padmé', () => {
  it('rounds up with bounded overhead and leaves small sizes alone', () => {
    expect([0, 1, 2, 3, 4, 5, 8, 9, 100, 1000].map(c.padmeLength)).toEqual([
      0, 1, 2, 3, 4, 5, 8, 10, 104, 1024,
    ]);
    for (let n = 2; n < 5000; n += 7) {
      const p = c.padmeLength(n);
      expect(p).toBeGreaterThanOrEqual(n);
      expect(p - n).toBeLessThanOrEqual(n * 0.12 + 1);
    }
    expect(() => c.padmeLength(-1)).toThrow(c.CryptoError);
    expect(() => c.padmeLength(1.5)).toThrow(c.CryptoError);
  });
});

describe('file streams', () => {
  it.each([0, 1, 100, 65527, 65528, 65529, 200_000])(
    'round-trips %d bytes with the exact predicted size',
    async (n) => {
      const k = c.randomBytes(32);
      const pt = data(n);
      const ct = await encrypt(k, pt, 7777);
      expect(ct.length).toBe(c.encryptedFileSize(n));
      expect(await runStream(c.createDecryptStream(k), ct, 3333)).toEqual(pt);
      expect(await runStream(c.createDecryptStream(k), ct, 1031)).toEqual(pt);
    },
  );

  it('survives byte-at-a-time writes', async () => {
    const k = c.randomBytes(32);
    const pt = data(300);
    expect(await runStream(c.createDecryptStream(k), await encrypt(k, pt, 1), 1)).toEqual(pt);
  });

  it('hides the exact size inside the Padmé bucket', async () => {
    const k = c.randomBytes(32);
    const [a, b] = await Promise.all([encrypt(k, data(1000)), encrypt(k, data(1020))]);
    expect(a.length).toBe(b.length);
  });

  describe('refuses', () => {
    let k: Uint8Array;
    let ct: Uint8Array;
    beforeAll(async () => {
      k = c.randomBytes(32);
      ct = await encrypt(k, data(150_000)); // three frames
    });
    const dec = (bytes: Uint8Array, key?: Uint8Array) =>
      streamError(c.createDecryptStream(key ?? k), bytes);
    const flipAt = (i: number) => {
      const x = new Uint8Array(ct);
      x[i] = (x[i] ?? 0) ^ 0x80;
      return x;
    };

    it('a tampered byte in the header, any frame, or a tag', async () => {
      for (const i of [1, 24, 25, 26, 1000, 25 + FRAME - 1, 25 + FRAME + 5, ct.length - 1]) {
        expect((await dec(flipAt(i))).code).toBe('CRYPTO_DECRYPT_FAILED');
      }
    });
    it('an unknown version', async () =>
      expect((await dec(flipAt(0))).code).toBe('CRYPTO_UNKNOWN_VERSION'));
    it('the wrong key', async () =>
      expect((await dec(ct, c.randomBytes(32))).code).toBe('CRYPTO_DECRYPT_FAILED'));
    it('a dropped final chunk', async () =>
      expect((await dec(ct.subarray(0, 25 + 2 * FRAME))).code).toBe('CRYPTO_TRUNCATED'));
    it('a cut mid-chunk', async () => {
      expect((await dec(ct.subarray(0, ct.length - 5))).code).toBe('CRYPTO_TRUNCATED');
      expect((await dec(ct.subarray(0, 25 + FRAME + 100))).code).toBe('CRYPTO_TRUNCATED');
      expect((await dec(ct.subarray(0, 10))).code).toBe('CRYPTO_TRUNCATED');
      expect((await dec(new Uint8Array(0))).code).toBe('CRYPTO_TRUNCATED');
    });
    it('a swapped chunk order', async () => {
      const x = c.concatBytes(
        ct.subarray(0, 25),
        ct.subarray(25 + FRAME, 25 + 2 * FRAME),
        ct.subarray(25, 25 + FRAME),
        ct.subarray(25 + 2 * FRAME),
      );
      expect((await dec(x)).code).toBe('CRYPTO_DECRYPT_FAILED');
    });
    it('data after FINAL', async () => {
      expect((await dec(c.concatBytes(ct, Uint8Array.of(0)))).code).toBe('CRYPTO_BAD_FORMAT');
      const other = await encrypt(k, data(10));
      expect((await dec(c.concatBytes(ct, other.subarray(25)))).code).toBe('CRYPTO_BAD_FORMAT');
    });
    it('a key of the wrong length, synchronously', () => {
      expect(() => c.createDecryptStream(new Uint8Array(16))).toThrow(c.CryptoError);
      expect(() => c.createEncryptStream(new Uint8Array(16), 1)).toThrow(c.CryptoError);
    });
    it('plaintext longer or shorter than declared', async () => {
      expect((await streamError(c.createEncryptStream(k, 10), data(11))).code).toBe(
        'CRYPTO_BAD_LENGTH',
      );
      expect((await streamError(c.createEncryptStream(k, 10), data(9))).code).toBe(
        'CRYPTO_BAD_LENGTH',
      );
    });
  });

  it('streams 20 MB chunk by chunk with bounded memory', async () => {
    const k = c.randomBytes(32);
    const size = 20 * 1024 * 1024;
    const block = c.randomBytes(64 * 1024);
    let produced = 0;
    let outputBeforeInputDone = false;
    let outBytes = 0;
    const inHash = c.sha256Stream();
    const outHash = c.sha256Stream();
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < size; i += block.length) {
          produced += block.length;
          inHash.update(block);
          yield block;
        }
      })(),
    );
    const baseline = process.memoryUsage();
    let peak = 0;
    const sink = new Writable({
      write(chunk: Uint8Array, _e, cb): void {
        if (produced < size) outputBeforeInputDone = true;
        outBytes += chunk.length;
        outHash.update(chunk);
        const m = process.memoryUsage();
        peak = Math.max(
          peak,
          m.heapUsed + m.arrayBuffers - baseline.heapUsed - baseline.arrayBuffers,
        );
        cb();
      },
    });
    const enc = c.createEncryptStream(k, size),
      dec = c.createDecryptStream(k);
    let maxBuffered = 0;
    const probe = (): void => {
      maxBuffered = Math.max(
        maxBuffered,
        enc.readableLength + enc.writableLength + dec.readableLength + dec.writableLength,
      );
    };
    enc.on('data', probe);
    await pipeline(source, enc, dec, sink);
    expect(outBytes).toBe(size);
    expect(outHash.digestHex()).toBe(inHash.digestHex());
    expect(outputBeforeInputDone).toBe(true);
    // Loose: GC lag makes heap numbers noisy, but holding the file (twice) would blow past this.
    expect(peak).toBeLessThan(3 * size);
    expect(maxBuffered).toBeLessThan(1024 * 1024);
  });
});
