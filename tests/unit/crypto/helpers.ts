/** Shared test helpers for crypto/ (real libsodium, no mocks). */
import { Readable, Writable } from 'stream';
import { pipeline } from 'stream/promises';
import type { Duplex } from 'stream';
import { CryptoError, type CryptoErrorCode } from '../../../crypto';

/** Light Argon2id parameters so most tests stay fast; vectors use the real ones. */
export const LIGHT = { opsLimit: 1, memLimit: 8192 * 8 };

export function expectCode(f: () => unknown, code: CryptoErrorCode): void {
  let thrown: unknown;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(CryptoError);
  expect((thrown as CryptoError).code).toBe(code);
}

export function flip(b: Uint8Array, i: number): Uint8Array {
  const c = new Uint8Array(b); // a copy, even for a Buffer (whose slice() is a view)
  c[i] = (c[i] ?? 0) ^ 0x01;
  return c;
}

/** Pushes `data` through `t` in `chunk`-sized writes and returns everything it emitted. */
export async function runStream(t: Duplex, data: Uint8Array, chunk = 10_000): Promise<Uint8Array> {
  const out: Uint8Array[] = [];
  async function* source(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < data.length; i += chunk) yield data.subarray(i, i + chunk);
  }
  const sink = new Writable({
    write(c: Uint8Array, _e, cb): void {
      out.push(c);
      cb();
    },
  });
  await pipeline(Readable.from(source()), t, sink);
  return new Uint8Array(Buffer.concat(out));
}

export async function streamError(
  t: Duplex,
  data: Uint8Array,
  chunk?: number,
): Promise<CryptoError> {
  try {
    await runStream(t, data, chunk);
  } catch (e) {
    expect(e).toBeInstanceOf(CryptoError);
    return e as CryptoError;
  }
  throw new Error('stream did not fail');
}
