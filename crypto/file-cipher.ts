// The file formats, independent of any stream API. Version 1 here (size first, 64 KiB secretstream
// frames); FileDecryptor reads v1 and v2 by the version byte. See PROTOCOL.md.
import { ByteQueue, pullFileHeader } from './byte-queue';
import { concatBytes, type Bytes } from './encoding';
import { CryptoError, expectLength } from './errors';
import { FILE_VERSION_2, FileDecryptorV2 } from './file-cipher-v2';
import { VERSION_1 } from './keys';
import { FILE_CHUNK_BYTES, FILE_LENGTH_PREFIX_BYTES, innerFileLength } from './padme';
import {
  KEY_BYTES,
  STREAM_ABYTES,
  TAG_FINAL,
  TAG_MESSAGE,
  streamInitPush,
  streamPull,
  streamPush,
  type StreamState,
} from './sodium';

const FRAME_BYTES = FILE_CHUNK_BYTES + STREAM_ABYTES;
const TWO_32 = 2 ** 32;

export class FileEncryptor {
  private readonly state: StreamState;
  private readonly total: number;
  private readonly buf = new Uint8Array(FILE_CHUNK_BYTES);
  private fill = 0;
  private sealed = 0; // inner bytes already pushed
  private received = 0;
  readonly header: Bytes;

  constructor(
    key32: Bytes,
    private readonly size: number,
  ) {
    this.total = innerFileLength(size); // validates size
    const { state, header } = streamInitPush(key32);
    this.state = state;
    this.header = concatBytes(Uint8Array.of(VERSION_1), header);
    const prefix = new DataView(this.buf.buffer);
    prefix.setUint32(0, Math.floor(size / TWO_32), false);
    prefix.setUint32(4, size % TWO_32, false);
    this.fill = FILE_LENGTH_PREFIX_BYTES;
  }

  write(chunk: Bytes): Bytes[] {
    this.received += chunk.length;
    if (this.received > this.size)
      throw new CryptoError('CRYPTO_BAD_LENGTH', 'more plaintext than declared');
    return this.feed(chunk);
  }

  /** Pads to the Padmé bucket and closes the stream with FINAL. */
  end(): Bytes[] {
    if (this.received !== this.size)
      throw new CryptoError('CRYPTO_BAD_LENGTH', 'less plaintext than declared');
    const out: Bytes[] = [];
    let padding = this.total - this.sealed - this.fill;
    const zeros = new Uint8Array(Math.min(padding, FILE_CHUNK_BYTES));
    while (padding > 0) {
      const n = Math.min(padding, zeros.length);
      out.push(...this.feed(zeros.subarray(0, n)));
      padding -= n;
    }
    if (this.fill > 0) out.push(this.seal());
    return out;
  }

  private feed(data: Bytes): Bytes[] {
    const out: Bytes[] = [];
    let o = 0;
    while (o < data.length) {
      const n = Math.min(data.length - o, FILE_CHUNK_BYTES - this.fill);
      this.buf.set(data.subarray(o, o + n), this.fill);
      this.fill += n;
      o += n;
      if (this.fill === FILE_CHUNK_BYTES) out.push(this.seal());
    }
    return out;
  }

  private seal(): Bytes {
    const len = this.fill;
    const tag = this.sealed + len === this.total ? TAG_FINAL : TAG_MESSAGE;
    const frame = streamPush(this.state, this.buf.subarray(0, len), tag);
    this.sealed += len;
    this.fill = 0;
    return frame;
  }
}

/** Reads version 1 only; FileDecryptor below picks it by the version byte. */
export class FileDecryptorV1 {
  private readonly queue = new ByteQueue();
  private state: StreamState | undefined;
  private size = -1; // declared plaintext size, known after the first frame
  private total = -1;
  private opened = 0; // inner bytes decrypted so far
  private finalSeen = false;

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
    if (!this.finalSeen)
      throw new CryptoError('CRYPTO_TRUNCATED', 'file ends without its final chunk');
    return out;
  }

  private drain(atEnd: boolean): Bytes[] {
    const out: Bytes[] = [];
    if (!this.state) {
      this.state = pullFileHeader(this.queue, VERSION_1, this.key32, atEnd);
      if (!this.state) return out;
    }
    for (;;) {
      if (this.finalSeen) {
        if (this.queue.length > 0)
          throw new CryptoError('CRYPTO_BAD_FORMAT', 'data after the final chunk');
        return out;
      }
      // Before the first frame is open its length is unknown: a full frame, or all that is left.
      const want =
        this.total < 0
          ? FRAME_BYTES
          : Math.min(FILE_CHUNK_BYTES, this.total - this.opened) + STREAM_ABYTES;
      let frame: Bytes;
      if (this.queue.length >= want) frame = this.queue.take(want);
      else if (atEnd && this.total < 0 && this.queue.length > 0)
        frame = this.queue.take(this.queue.length);
      else if (atEnd && this.queue.length > 0)
        throw new CryptoError('CRYPTO_TRUNCATED', 'file cut inside a chunk');
      else return out;
      const data = this.open(frame);
      if (data.length > 0) out.push(data);
    }
  }

  private open(frame: Bytes): Bytes {
    if (!this.state) throw new CryptoError('CRYPTO_BAD_FORMAT', 'no header');
    if (frame.length < STREAM_ABYTES)
      throw new CryptoError('CRYPTO_TRUNCATED', 'chunk shorter than its overhead');
    const { message, tag } = streamPull(this.state, frame);
    if (tag !== TAG_MESSAGE && tag !== TAG_FINAL)
      throw new CryptoError('CRYPTO_BAD_FORMAT', `unexpected chunk tag ${tag}`);
    const start = this.opened;
    if (this.total < 0) this.readPrefix(message);
    this.opened += message.length;
    const isLast = this.opened === this.total;
    if (this.opened > this.total || isLast !== (tag === TAG_FINAL)) {
      throw new CryptoError('CRYPTO_BAD_FORMAT', 'chunk layout does not match the declared size');
    }
    this.finalSeen = isLast;
    // Inner offsets [8, 8 + size) are data; everything after must be zero padding.
    const dataEnd = FILE_LENGTH_PREFIX_BYTES + this.size;
    const from = Math.max(0, FILE_LENGTH_PREFIX_BYTES - start);
    const to = Math.max(from, Math.min(message.length, dataEnd - start));
    for (let i = to; i < message.length; i++) {
      if (message[i] !== 0) throw new CryptoError('CRYPTO_BAD_FORMAT', 'non-zero padding');
    }
    return message.subarray(from, to);
  }

  private readPrefix(first: Bytes): void {
    if (first.length < FILE_LENGTH_PREFIX_BYTES)
      throw new CryptoError('CRYPTO_BAD_FORMAT', 'first chunk too short');
    const view = new DataView(first.buffer, first.byteOffset, FILE_LENGTH_PREFIX_BYTES);
    const hi = view.getUint32(0, false);
    if (hi >= 2 ** 21) throw new CryptoError('CRYPTO_BAD_FORMAT', 'declared size too large');
    this.size = hi * TWO_32 + view.getUint32(4, false);
    this.total = innerFileLength(this.size);
  }
}

/** Either version, chosen by the first byte: what every reader of uploaded files uses. */
export class FileDecryptor {
  private inner: FileDecryptorV1 | FileDecryptorV2 | undefined;

  constructor(private readonly key32: Bytes) {
    expectLength(key32, KEY_BYTES, 'file key');
  }

  write(chunk: Bytes): Bytes[] {
    if (!this.inner) {
      if (chunk.length === 0) return [];
      const version = chunk[0];
      if (version === VERSION_1) this.inner = new FileDecryptorV1(this.key32);
      else if (version === FILE_VERSION_2) this.inner = new FileDecryptorV2(this.key32);
      else throw new CryptoError('CRYPTO_UNKNOWN_VERSION', `file version ${version}`);
    }
    return this.inner.write(chunk);
  }

  end(): Bytes[] {
    if (!this.inner) throw new CryptoError('CRYPTO_TRUNCATED', 'file shorter than its header');
    return this.inner.end();
  }
}
