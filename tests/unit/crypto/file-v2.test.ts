import { readFileSync } from 'fs';
import { join } from 'path';
import { Readable, Writable } from 'stream';
import { pipeline } from 'stream/promises';
import * as c from '../../../crypto';
import { FileEncryptorV2 } from '../../../crypto/file-cipher-v2';
import {
  streamInitPush,
  streamPush,
  TAG_FINAL,
  TAG_MESSAGE,
  TAG_PUSH,
} from '../../../crypto/sodium';
import { filePlaintext } from '../../vectors/vector-inputs';
import { runStream, streamError } from './helpers';

// File format v2 (PROTOCOL.md "Files, version 2"): written without knowing the size, read by
// the same FileDecryptor / createDecryptStream as v1, chosen by the version byte.

/* eslint-disable @typescript-eslint/no-explicit-any -- the vector file is untyped JSON */
const V: any = JSON.parse(
  readFileSync(join(__dirname, '../../vectors/crypto-files-v2.json'), 'utf8'),
);

beforeAll(() => c.initCrypto());

const C = c.FILE_CHUNK_BYTES;
const h = (s: string): Uint8Array => c.fromHex(s);

function encryptV2(key: Uint8Array, pt: Uint8Array, chunk = 10_000): Uint8Array {
  const enc = new FileEncryptorV2(key);
  const out = [enc.header];
  for (let i = 0; i < pt.length; i += chunk) out.push(...enc.write(pt.subarray(i, i + chunk)));
  return c.concatBytes(...out, ...enc.end());
}

/** As a careless or hostile writer would: these chunks with these tags, nothing checked. */
function craft(key: Uint8Array, chunks: Array<[Uint8Array, number]>): Uint8Array {
  const { state, header } = streamInitPush(key);
  return c.concatBytes(
    Uint8Array.of(2),
    header,
    ...chunks.map(([m, t]) => streamPush(state, m, t)),
  );
}

/** toEqual on megabytes of typed array is slow in Jest: compare as Buffers. */
function expectSame(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.from(actual).equals(Buffer.from(expected))).toBe(true);
}

function open(key: Uint8Array, ct: Uint8Array): Uint8Array {
  const d = new c.FileDecryptor(key);
  return c.concatBytes(...d.write(ct), ...d.end());
}

function openError(key: Uint8Array, ct: Uint8Array): string {
  try {
    open(key, ct);
  } catch (e) {
    expect(e).toBeInstanceOf(c.CryptoError);
    return (e as c.CryptoError).code;
  }
  throw new Error('opened');
}

describe('file format v2 vectors', () => {
  it('sizes recompute exactly', () => {
    expect(V.format).toBe('sori-file-vectors');
    for (const s of V.sizes) {
      expect(c.padmeLength(s.n + 1)).toBe(s.padmeLength);
      expect(c.encryptedFileSizeV2(s.n)).toBe(s.encryptedSize);
      expect(s.encryptedSize).toBe(25 + s.chunks * (C + 17));
    }
  });

  it('every stored file opens to its plaintext, in one write and byte-unaligned writes', async () => {
    expect(V.files.map((f: any) => f.size)).toEqual([0, 65535, 65536]);
    for (const f of V.files) {
      const ct = h(f.ciphertext);
      expect(ct[0]).toBe(2);
      expect(ct.length).toBe(f.encryptedSize);
      expect(c.encryptedFileSizeV2(f.size)).toBe(f.encryptedSize);
      const pt = open(h(f.key), ct);
      expect(c.toHex(pt)).toBe(c.toHex(filePlaintext(f.size)));
      expect(c.sha256Hex(pt)).toBe(f.plaintextSha256);
      expectSame(await runStream(c.createDecryptStream(h(f.key)), ct, 997), pt);
    }
  });
});

describe('file format v2', () => {
  it.each([0, 1, 100, C - 1, C, C + 1, 2 * C, 3 * C - 1, 200_000])(
    'round-trips %d bytes with the size a function of the Padmé bucket only',
    async (n) => {
      const k = c.randomBytes(32);
      const pt = c.randomBytes(n);
      const ct = encryptV2(k, pt, 7777);
      expect(ct.length).toBe(c.encryptedFileSizeV2(n));
      expectSame(await runStream(c.createDecryptStream(k), ct, 3333), pt);
      if (n <= C + 1) expectSame(await runStream(c.createDecryptStream(k), ct, 1), pt);
    },
  );

  it('hides the exact size inside the bucket, in whole 64 KiB frames', () => {
    const k = c.randomBytes(32);
    expect(encryptV2(k, c.randomBytes(0)).length).toBe(encryptV2(k, c.randomBytes(C - 1)).length);
    const big = [1_000_000, 1_000_100].map((n) => encryptV2(k, c.randomBytes(n)).length);
    expect(big[0]).toBe(big[1]);
    expect((big[0]! - 25) % (C + 17)).toBe(0);
  });

  it('emits whole data chunks at once and holds back at most one partial chunk', () => {
    const enc = new FileEncryptorV2(c.randomBytes(32));
    expect(enc.write(c.randomBytes(C - 1))).toHaveLength(0);
    expect(enc.write(c.randomBytes(1))).toHaveLength(1); // full: never the boundary
    expect(enc.write(c.randomBytes(3 * C + 5))).toHaveLength(3);
    expect(enc.size).toBe(4 * C + 5);
  });

  it('the Duplex and the generator write the same format, and v1 still opens', async () => {
    const k = c.randomBytes(32);
    const pt = c.randomBytes(150_000);
    const viaDuplex = await runStream(c.createEncryptStreamV2(k), pt, 4096);
    expect(viaDuplex.length).toBe(c.encryptedFileSizeV2(pt.length));
    expectSame(open(k, viaDuplex), pt);
    const parts: Uint8Array[] = [];
    for await (const f of c.encryptFileV2(k, Readable.from([pt]))) parts.push(f);
    expectSame(open(k, c.concatBytes(...parts)), pt);
    const v1 = await runStream(c.createEncryptStream(k, pt.length), pt);
    expect(v1[0]).toBe(1);
    expectSame(await runStream(c.createDecryptStream(k), v1), pt);
  });

  describe('with whole padding chunks (n >= 4 MiB: boundary PUSH, zero chunks, FINAL)', () => {
    const n = 4 * 1024 * 1024 + 1; // T = 4 MiB + 128 KiB: 64 data chunks, boundary, one zero chunk
    let k: Uint8Array;
    let pt: Uint8Array;
    let data: Array<[Uint8Array, number]>;
    const nonZero = (): Uint8Array => {
      const z = new Uint8Array(C);
      z[C - 1] = 1;
      return z;
    };
    const boundary = (): [Uint8Array, number] => {
      const b = new Uint8Array(C);
      b[0] = pt[n - 1]!;
      b[1] = 0x80;
      return [b, TAG_PUSH];
    };
    beforeAll(() => {
      k = c.randomBytes(32);
      pt = c.randomBytes(n);
      data = [];
      for (let i = 0; i + C <= n; i += C) data.push([pt.subarray(i, i + C), TAG_MESSAGE]);
    });

    it('round-trips, padding chunks emitted one at a time', () => {
      expect(c.padmeLength(n + 1)).toBe(66 * C);
      const enc = new FileEncryptorV2(k);
      const frames = [enc.header, ...enc.write(pt)];
      expect(frames).toHaveLength(65);
      const rest = enc.finish();
      const first = rest.next();
      expect(first.done).toBe(false);
      const tail = [...rest];
      expect(tail).toHaveLength(1);
      const ct = c.concatBytes(...frames, first.value as Uint8Array, ...tail);
      expect(ct.length).toBe(c.encryptedFileSizeV2(n));
      expectSame(open(k, ct), pt);
      // The hand-built form of the same layout opens too: the refusals below differ in one thing.
      expectSame(open(k, craft(k, [...data, boundary(), [new Uint8Array(C), TAG_FINAL]])), pt);
    });

    it.each([
      ['non-zero padding', () => [...data, boundary(), [nonZero(), TAG_FINAL]]],
      ['a FINAL boundary with padding due', () => [...data, [boundary()[0], TAG_FINAL]]],
      [
        'a PUSH padding chunk',
        () => [...data, boundary(), [new Uint8Array(C), TAG_PUSH], [new Uint8Array(C), TAG_FINAL]],
      ],
      [
        'a last padding chunk not FINAL',
        () => [...data, boundary(), [new Uint8Array(C), TAG_MESSAGE]],
      ],
      [
        'a padding chunk after FINAL',
        () => [...data, boundary(), [new Uint8Array(C), TAG_FINAL], [new Uint8Array(C), TAG_FINAL]],
      ],
      [
        'padding beyond padmeLength(n + 1)',
        () => [
          ...data,
          boundary(),
          [new Uint8Array(C), TAG_MESSAGE],
          [new Uint8Array(C), TAG_FINAL],
        ],
      ],
    ] as Array<[string, () => Array<[Uint8Array, number]>]>)('refuses %s', (_name, chunks) => {
      expect(openError(k, craft(k, chunks()))).toBe('CRYPTO_BAD_FORMAT');
    });

    it('refuses a dropped padding chunk and a lone data chunk as truncated', () => {
      expect(openError(k, craft(k, [...data, boundary()]))).toBe('CRYPTO_TRUNCATED');
      expect(openError(k, craft(k, data))).toBe('CRYPTO_TRUNCATED');
    });
  });

  describe('refuses', () => {
    let k: Uint8Array;
    let ct: Uint8Array;
    const FRAME = C + 17;
    beforeAll(() => {
      k = c.randomBytes(32);
      ct = encryptV2(k, c.randomBytes(150_000)); // three frames: 2 data + boundary (FINAL)
    });
    const flipAt = (i: number): Uint8Array => {
      const x = new Uint8Array(ct);
      x[i] = (x[i] ?? 0) ^ 0x80;
      return x;
    };

    it('tampering in the header, any frame or a tag, reordering and the wrong key', async () => {
      for (const i of [1, 24, 25, 1000, 25 + FRAME + 5, ct.length - 1])
        expect((await streamError(c.createDecryptStream(k), flipAt(i))).code).toBe(
          'CRYPTO_DECRYPT_FAILED',
        );
      const swapped = c.concatBytes(
        ct.subarray(0, 25),
        ct.subarray(25 + FRAME, 25 + 2 * FRAME),
        ct.subarray(25, 25 + FRAME),
        ct.subarray(25 + 2 * FRAME),
      );
      expect(openError(k, swapped)).toBe('CRYPTO_DECRYPT_FAILED');
      expect(openError(c.randomBytes(32), ct)).toBe('CRYPTO_DECRYPT_FAILED');
    });

    it('an unknown version byte, whichever reader', () => {
      expect(openError(k, flipAt(0))).toBe('CRYPTO_UNKNOWN_VERSION');
      expect(openError(k, c.concatBytes(Uint8Array.of(3), ct.subarray(1)))).toBe(
        'CRYPTO_UNKNOWN_VERSION',
      );
    });

    it('truncation anywhere', () => {
      for (const end of [0, 10, 25, 25 + FRAME, 25 + 2 * FRAME, 25 + FRAME + 100, ct.length - 1])
        expect([end, openError(k, ct.subarray(0, end))]).toEqual([end, 'CRYPTO_TRUNCATED']);
    });

    it('a boundary without its marker, with a byte after it, or with the wrong tag', () => {
      const chunk = (...head: number[]): Uint8Array => {
        const b = new Uint8Array(C);
        b.set(head);
        return b;
      };
      const TAG_REKEY = 2; // never written by Sori
      expect(openError(k, craft(k, [[chunk(), TAG_FINAL]]))).toBe('CRYPTO_BAD_FORMAT');
      expect(openError(k, craft(k, [[chunk(7, 9), TAG_FINAL]]))).toBe('CRYPTO_BAD_FORMAT');
      expect(openError(k, craft(k, [[chunk(7, 0x80, 1), TAG_FINAL]]))).toBe('CRYPTO_BAD_FORMAT');
      expect(openError(k, craft(k, [[chunk(7, 0x80), TAG_PUSH]]))).toBe('CRYPTO_BAD_FORMAT');
      expect(openError(k, craft(k, [[chunk(7, 0x80), TAG_REKEY]]))).toBe('CRYPTO_BAD_FORMAT');
      expect(open(k, craft(k, [[chunk(7, 0x80), TAG_FINAL]]))).toEqual(Uint8Array.of(7));
    });

    it('a short chunk: frames are all 65 553 bytes, so the next one fails to open', () => {
      const short = craft(k, [
        [c.randomBytes(100), TAG_MESSAGE],
        [Uint8Array.of(0x80), TAG_FINAL],
      ]);
      expect(openError(k, short)).toBe('CRYPTO_TRUNCATED');
      const padded = c.concatBytes(short, new Uint8Array(C));
      expect(openError(k, padded)).toBe('CRYPTO_DECRYPT_FAILED');
    });

    it('bytes after FINAL', () => {
      expect(openError(k, c.concatBytes(ct, Uint8Array.of(0)))).toBe('CRYPTO_BAD_FORMAT');
      const other = encryptV2(k, c.randomBytes(10));
      expect(openError(k, c.concatBytes(ct, other.subarray(25)))).toBe('CRYPTO_BAD_FORMAT');
    });

    it('a bad key synchronously, and writes after the end', () => {
      expect(() => new FileEncryptorV2(new Uint8Array(16))).toThrow(c.CryptoError);
      expect(() => c.createEncryptStreamV2(new Uint8Array(16))).toThrow(c.CryptoError);
      expect(() => c.encryptFileV2(new Uint8Array(16), Readable.from([]))).toThrow(c.CryptoError);
      const enc = new FileEncryptorV2(k);
      enc.end();
      expect(() => enc.write(Uint8Array.of(1))).toThrow(c.CryptoError);
      expect(() => enc.end()).toThrow(c.CryptoError);
    });
  });

  it('streams 40 MiB of unknown length with bounded buffers and output before input ends', async () => {
    const k = c.randomBytes(32);
    const size = 40 * 1024 * 1024 + 12_345; // padding: a whole zero chunk and more
    const block = c.randomBytes(64 * 1024 + 7);
    let produced = 0;
    let outputEarly = false;
    let outBytes = 0;
    const inHash = c.sha256Stream();
    const outHash = c.sha256Stream();
    async function* source(): AsyncGenerator<Uint8Array> {
      while (produced < size) {
        const b = block.subarray(0, Math.min(block.length, size - produced));
        produced += b.length;
        inHash.update(b);
        yield b;
      }
    }
    const dec = c.createDecryptStream(k);
    let maxBuffered = 0;
    const sink = new Writable({
      write(chunk: Uint8Array, _e, cb): void {
        if (produced < size) outputEarly = true;
        outBytes += chunk.length;
        outHash.update(chunk);
        maxBuffered = Math.max(maxBuffered, dec.readableLength + dec.writableLength);
        cb();
      },
    });
    await pipeline(Readable.from(c.encryptFileV2(k, source())), dec, sink);
    expect(outBytes).toBe(size);
    expect(outHash.digestHex()).toBe(inHash.digestHex());
    expect(outputEarly).toBe(true);
    expect(maxBuffered).toBeLessThan(1024 * 1024);
  });
});
