import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDecryptStream, createEncryptStream, FILE_CHUNK_BYTES, toHex } from '../crypto';
import { FileDecryptor, FileEncryptor } from '../crypto/file-cipher';
import { measureInChild } from './children';
import { nowMs } from './stats';

// The upload bench's in-memory figures: raw secretstream (FileEncryptor / FileDecryptor, the
// reference) and crypto/'s stream adapters alone. They hold hundreds of MiB of ciphertext, so
// they run in a fresh child process (bench/in-memory-crypto.child.ts) each time: measured in
// the bench process, that heap left the store read-back measured after them paying for garbage
// collection it would not otherwise do.

export const MiB = 1024 * 1024;

export interface Throughput {
  mbPerSec: number;
  seconds: number;
}

export const mbps = (bytes: number, ms: number): Throughput => ({
  mbPerSec: bytes / 1e6 / (ms / 1000),
  seconds: ms / 1000,
});

/** `size` bytes of plaintext in 64 KiB chunks (one random block repeated; nothing held whole). */
export function* plaintext(size: number): Generator<Buffer> {
  const block = randomBytes(FILE_CHUNK_BYTES);
  for (let sent = 0; sent < size; sent += block.length) {
    yield sent + block.length <= size ? block : block.subarray(0, size - sent);
  }
}

/** FileEncryptor/FileDecryptor alone: no streams, no I/O. The ciphertext is kept for the decrypt. */
export function rawSecretstream(
  key: Uint8Array,
  size: number,
): { enc: Throughput; dec: Throughput } {
  const frames: Uint8Array[] = [];
  let t = nowMs();
  const enc = new FileEncryptor(key, size);
  frames.push(enc.header);
  for (const chunk of plaintext(size)) frames.push(...enc.write(chunk));
  frames.push(...enc.end());
  const encMs = nowMs() - t;
  t = nowMs();
  const dec = new FileDecryptor(key);
  let out = 0;
  for (const frame of frames) for (const p of dec.write(frame)) out += p.length;
  for (const p of dec.end()) out += p.length;
  const decMs = nowMs() - t;
  if (out !== size) throw new Error(`raw decrypt gave ${out} bytes, not ${size}`);
  return { enc: mbps(size, encMs), dec: mbps(size, decMs) };
}

/** createEncryptStream and createDecryptStream in memory: what the streams cost over raw. */
export async function streamsOnly(
  key: Uint8Array,
  size: number,
): Promise<{ enc: Throughput; dec: Throughput }> {
  const frames: Buffer[] = [];
  let t = nowMs();
  await pipeline(
    Readable.from(plaintext(size)),
    createEncryptStream(key, size),
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        frames.push(chunk);
        cb();
      },
    }),
  );
  const encMs = nowMs() - t;
  // Read back in 1 MiB pieces, as the stores hand them over. Joined before the clock starts:
  // copying 256 MiB into fresh memory is the bench's cost, not the decrypt stream's.
  const all = Buffer.concat(frames);
  frames.length = 0;
  const pieces = (function* () {
    for (let at = 0; at < all.length; at += MiB) yield all.subarray(at, at + MiB);
  })();
  let got = 0;
  t = nowMs();
  await pipeline(
    Readable.from(pieces),
    createDecryptStream(key),
    sink((n) => (got += n)),
  );
  const decMs = nowMs() - t;
  if (got !== size) throw new Error(`stream decrypt gave ${got} bytes, not ${size}`);
  return { enc: mbps(size, encMs), dec: mbps(size, decMs) };
}

export function sink(count: (n: number) => void = () => undefined): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      count(chunk.length);
      cb();
    },
  });
}

export interface InMemoryFigures {
  raw: { enc: Throughput; dec: Throughput };
  streams: { enc: Throughput; dec: Throughput };
  /** CPU ms per MiB of the raw figures; encrypt and decrypt split in the ratio of their times. */
  rawCpu: { enc: number; dec: number };
}

/** Raw, then the streams, in this process (the child's body). */
export async function inMemoryMeasure(key: Uint8Array, size: number): Promise<InMemoryFigures> {
  const cpu0 = process.cpuUsage();
  const raw = rawSecretstream(key, size);
  const used = process.cpuUsage(cpu0);
  const ms = (used.user + used.system) / 1000 / (size / MiB);
  const share = raw.enc.seconds / (raw.enc.seconds + raw.dec.seconds);
  const streams = await streamsOnly(key, size);
  return { raw, streams, rawCpu: { enc: ms * share, dec: ms * (1 - share) } };
}

/** Runs both measurements in a fresh child and returns what it reports. */
export function inMemoryFigures(key: Uint8Array, size: number): Promise<InMemoryFigures> {
  return measureInChild<InMemoryFigures>(join('bench', 'in-memory-crypto.child.ts'), {
    KEY_HEX: toHex(key),
    SIZE: String(size),
  });
}
