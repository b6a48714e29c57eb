// File format v2, for writers that do not know the size up front (the no-JS form): padded to
// whole 64 KiB chunks after a 0x80 marker. See PROTOCOL.md "Files, version 2".
import { ByteQueue, pullFileHeader } from './byte-queue';
import type { Bytes } from './encoding';
import { CryptoError, expectLength } from './errors';
import { FILE_CHUNK_BYTES, innerFileLengthV2 } from './padme';
import {
  KEY_BYTES,
  STREAM_ABYTES,
  STREAM_HEADER_BYTES,
  TAG_FINAL,
  TAG_MESSAGE,
  TAG_PUSH,
  streamInitPush,
  streamPull,
  streamPush,
  type StreamState,
} from './sodium';

export const FILE_VERSION_2 = 0x02;
/** ISO/IEC 7816-4 padding: the first padding byte, after the last byte of data. */
const END_MARKER = 0x80;
const FRAME_BYTES = FILE_CHUNK_BYTES + STREAM_ABYTES;

export class FileEncryptorV2 {
  private readonly state: StreamState;
  private readonly buf = new Uint8Array(FILE_CHUNK_BYTES);
  private fill = 0;
  private frames = 0; // full data chunks sealed so far
  private ended = false;
  readonly header: Bytes;

  constructor(key32: Bytes) {
    const { state, header } = streamInitPush(key32);
    this.state = state;
    this.header = new Uint8Array(1 + STREAM_HEADER_BYTES);
    this.header[0] = FILE_VERSION_2;
    this.header.set(header, 1);
  }

  /** Plaintext bytes written so far. */
  get size(): number {
    return this.frames * FILE_CHUNK_BYTES + this.fill;
  }

  /**
   * Frames for every chunk this write fills. A full chunk is never the boundary (that one holds
   * n mod 64 KiB < 64 KiB bytes of data), so nothing is held back beyond one partial chunk.
   */
  write(chunk: Bytes): Bytes[] {
    if (this.ended) throw new CryptoError('CRYPTO_BAD_LENGTH', 'write after end');
    const out: Bytes[] = [];
    let o = 0;
    while (o < chunk.length) {
      const n = Math.min(chunk.length - o, FILE_CHUNK_BYTES - this.fill);
      this.buf.set(chunk.subarray(o, o + n), this.fill);
      this.fill += n;
      o += n;
      if (this.fill === FILE_CHUNK_BYTES) {
        out.push(streamPush(this.state, this.buf, TAG_MESSAGE));
        this.frames += 1;
        this.fill = 0;
      }
    }
    if (!Number.isSafeInteger(this.size + 1))
      throw new CryptoError('CRYPTO_BAD_LENGTH', 'file too large');
    return out;
  }

  /** Zeroes the partial chunk of plaintext held back (a writer that gives up midway). */
  wipe(): void {
    this.buf.fill(0);
  }

  /** The boundary frame and the padding frames, all at once (small files, tests). */
  end(): Bytes[] {
    return [...this.finish()];
  }

  /**
   * The boundary frame, then the zero frames up to the Padmé bucket, one at a time: padding
   * can be tens of MiB, and a streaming writer should not hold it all.
   */
  *finish(): Generator<Bytes> {
    if (this.ended) throw new CryptoError('CRYPTO_BAD_LENGTH', 'end called twice');
    this.ended = true;
    // Whole chunks from the boundary on: the boundary itself, then the zero chunks.
    let left = innerFileLengthV2(this.size) / FILE_CHUNK_BYTES - this.frames - 1;
    this.buf[this.fill] = END_MARKER;
    this.buf.fill(0, this.fill + 1);
    yield streamPush(this.state, this.buf, left > 0 ? TAG_PUSH : TAG_FINAL);
    this.buf.fill(0);
    while (left > 0) {
      left -= 1;
      yield streamPush(this.state, this.buf, left > 0 ? TAG_MESSAGE : TAG_FINAL);
    }
  }
}

/** After the header: data chunks, then (once the marker is seen) a known number of zero chunks. */
type Phase = { kind: 'data' } | { kind: 'padding'; left: number } | { kind: 'done' };

export class FileDecryptorV2 {
  private readonly queue = new ByteQueue();
  private state: StreamState | undefined;
  private phase: Phase = { kind: 'data' };
  private dataFrames = 0;

  constructor(private readonly key32: Bytes) {
    expectLength(key32, KEY_BYTES, 'file key');
  }

  write(chunk: Bytes): Bytes[] {
    this.queue.push(chunk);
    return this.drain(false);
  }

  /** Throws CRYPTO_TRUNCATED unless a FINAL frame closed the stream at its exact length. */
  end(): Bytes[] {
    const out = this.drain(true);
    if (this.phase.kind !== 'done')
      throw new CryptoError('CRYPTO_TRUNCATED', 'file ends without its final chunk');
    return out;
  }

  private drain(atEnd: boolean): Bytes[] {
    const out: Bytes[] = [];
    if (!this.state) {
      this.state = pullFileHeader(this.queue, FILE_VERSION_2, this.key32, atEnd);
      if (!this.state) return out;
    }
    for (;;) {
      const phase = this.phase;
      if (phase.kind === 'done') {
        if (this.queue.length > 0)
          throw new CryptoError('CRYPTO_BAD_FORMAT', 'data after the final chunk');
        return out;
      }
      let frame: Bytes;
      if (this.queue.length >= FRAME_BYTES) frame = this.queue.take(FRAME_BYTES);
      else if (atEnd && this.queue.length > 0)
        throw new CryptoError('CRYPTO_TRUNCATED', 'file cut inside a chunk');
      else return out;
      const data = this.open(frame);
      if (data.length > 0) out.push(data);
    }
  }

  private open(frame: Bytes): Bytes {
    if (!this.state) throw new CryptoError('CRYPTO_BAD_FORMAT', 'no header');
    const { message, tag } = streamPull(this.state, frame);
    if (this.phase.kind === 'padding') {
      this.phase.left -= 1;
      const last = this.phase.left === 0;
      if (tag !== (last ? TAG_FINAL : TAG_MESSAGE))
        throw new CryptoError('CRYPTO_BAD_FORMAT', 'padding chunk with the wrong tag');
      if (message.some((b) => b !== 0))
        throw new CryptoError('CRYPTO_BAD_FORMAT', 'non-zero padding');
      if (last) this.phase = { kind: 'done' };
      return message.subarray(0, 0);
    }
    if (tag === TAG_MESSAGE) {
      this.dataFrames += 1;
      return message;
    }
    if (tag !== TAG_PUSH && tag !== TAG_FINAL)
      throw new CryptoError('CRYPTO_BAD_FORMAT', `unexpected chunk tag ${tag}`);
    return this.openBoundary(message, tag);
  }

  /** The chunk with the end marker: n is known now, and with it T and every later chunk. */
  private openBoundary(message: Bytes, tag: number): Bytes {
    let r = message.length - 1;
    while (r >= 0 && message[r] === 0) r--;
    if (r < 0 || message[r] !== END_MARKER)
      throw new CryptoError('CRYPTO_BAD_FORMAT', 'missing end marker');
    const n = this.dataFrames * FILE_CHUNK_BYTES + r;
    // Zero chunks due after this one; FINAL exactly when there are none.
    const left = innerFileLengthV2(n) / FILE_CHUNK_BYTES - this.dataFrames - 1;
    if ((tag === TAG_FINAL) !== (left === 0))
      throw new CryptoError('CRYPTO_BAD_FORMAT', 'chunk tags do not match the size');
    this.phase = left === 0 ? { kind: 'done' } : { kind: 'padding', left };
    return message.subarray(0, r);
  }
}
