import type { Pool, Submittable } from 'pg';
import { uuidLiteral } from '../db';

// Chunk rows read with COPY ... TO STDOUT (FORMAT binary) instead of a SELECT, which would send
// bytea as hex text both ends spend more time on than on the rows, and in slices handed on as
// they arrive, not whole rows gathered first (core/blob-store/BLOB-STORE.md).

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER_BYTES = 19; // signature, flags, header extension length
const ROW_HEAD_BYTES = 22; // field count; length and value of seq, of off; length of data

/**
 * Bytes of a chunk row per COPY row. Postgres sends each COPY row as one message, and
 * node-postgres gathers a message whole before handing it on: a 1 MiB row was gathered from
 * sixteen socket reads into a buffer grown by doubling, then copied out, and lived long enough
 * to reach the old generation, whose external bytes set off a mark-compact every few MiB.
 */
export const SLICE_BYTES = 256 * 1024;

const bad = () => new Error('unexpected COPY binary output');

/** What a COPY of slices covered: chunk rows begun, the last one's seq, bytes. */
export interface SlicesRead {
  rows: number;
  lastSeq: number;
  bytes: number;
}

/**
 * COPY's binary format for rows of (seq integer, off integer, data bytea), parsed as each
 * CopyData message arrives; every slice goes to `onSlice` as soon as its last byte has, as a
 * copy of its own bytes (messages are views of node-postgres's read buffer, which it reuses).
 * The slices must make whole chunk rows in order: seq rising past `afterSeq`, off counting
 * each row's bytes from 0. A slice cut across messages is still read.
 */
export class CopySlices implements SlicesRead {
  rows = 0;
  lastSeq: number;
  bytes = 0;
  private next = 0; // the offset the next slice of row lastSeq must start at
  private carry: Buffer | null = null; // the start of a header or row that a later message ends
  private headerRead = false;
  private ended = false;

  constructor(
    afterSeq: number,
    private readonly onSlice: (data: Buffer) => void,
  ) {
    this.lastSeq = afterSeq;
  }

  push(message: Buffer): void {
    const buf = this.carry ? Buffer.concat([this.carry, message]) : message;
    this.carry = null;
    let at = 0;
    if (!this.headerRead) {
      if (buf.length < HEADER_BYTES) return void (this.carry = Buffer.from(buf));
      if (!buf.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw bad();
      const start = HEADER_BYTES + buf.readInt32BE(15);
      if (buf.length < start) return void (this.carry = Buffer.from(buf));
      this.headerRead = true;
      at = start;
    }
    while (at < buf.length) {
      if (this.ended) throw bad(); // bytes after the trailer
      if (buf.length - at < 2) break;
      const fields = buf.readInt16BE(at);
      if (fields === -1) {
        this.ended = true;
        at += 2;
        continue;
      }
      if (fields !== 3) throw bad();
      if (buf.length - at < ROW_HEAD_BYTES) break;
      if (buf.readInt32BE(at + 2) !== 4 || buf.readInt32BE(at + 10) !== 4) throw bad();
      const seq = buf.readInt32BE(at + 6);
      const off = buf.readInt32BE(at + 14);
      const length = buf.readInt32BE(at + 18);
      if (length <= 0) throw bad();
      if (buf.length - at - ROW_HEAD_BYTES < length) break;
      this.follow(seq, off, length);
      at += ROW_HEAD_BYTES;
      this.onSlice(Buffer.from(buf.subarray(at, at + length)));
      at += length;
    }
    if (at < buf.length) this.carry = Buffer.from(buf.subarray(at));
  }

  /** Throws unless the output ended exactly at its trailer. */
  finish(): void {
    if (!this.ended || this.carry) throw bad();
  }

  private follow(seq: number, off: number, length: number): void {
    if (seq > this.lastSeq && off === 0) {
      this.rows += 1;
      this.lastSeq = seq;
    } else if (seq !== this.lastSeq || off !== this.next || this.rows === 0) {
      throw bad(); // a slice missing, repeated or out of order
    }
    this.next = off + length;
    this.bytes += length;
  }
}

/** One COPY TO STDOUT in the simple query protocol; resolves once its output has been read. */
class CopyOut implements Submittable {
  private failure: Error | null = null;
  private settled = false;
  readonly done: Promise<void>;
  private resolve!: () => void;
  private reject!: (e: Error) => void;

  constructor(
    private readonly text: string,
    private readonly parser: CopySlices,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }

  // A failure is kept for ReadyForQuery: the connection must finish the COPY first.
  handleCopyData(msg: { chunk: Buffer }): void {
    if (this.failure) return;
    try {
      this.parser.push(msg.chunk);
    } catch (err) {
      this.failure = err as Error;
    }
  }

  handleError(err: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(err);
  }

  handleReadyForQuery(): void {
    if (this.settled) return;
    this.settled = true;
    try {
      if (this.failure) throw this.failure;
      this.parser.finish();
      this.resolve();
    } catch (err) {
      this.reject(err as Error);
    }
  }

  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
}

/**
 * Up to `limit` chunk rows of a blob after `afterSeq`, in order, in slices of at most
 * `sliceBytes`, each given to `onSlice` as it arrives (synchronously, from the socket's read).
 * COPY takes no parameters, so every value is checked before it enters the statement. The
 * slices are taken by substring, which reads only the TOAST chunks it needs (blob_chunks.data
 * is stored uncompressed); ordering by seq alone needs no sort, as rows come by the primary
 * key and each row's slices in generate_series order (CopySlices refuses any other order).
 */
export async function copyChunkSlices(
  pool: Pool,
  blobId: string,
  afterSeq: number,
  limit: number,
  onSlice: (data: Buffer) => void,
  sliceBytes = SLICE_BYTES,
): Promise<SlicesRead> {
  const id = uuidLiteral(blobId, 'copyChunkSlices');
  const ints = [afterSeq, limit, sliceBytes];
  if (!ints.every(Number.isSafeInteger) || limit < 1 || sliceBytes < 1) {
    throw new Error('copyChunkSlices: bad arguments');
  }
  const parser = new CopySlices(afterSeq, onSlice);
  const client = await pool.connect();
  let failed: Error | undefined;
  try {
    const copy = client.query(
      new CopyOut(
        `COPY (SELECT c.seq, s.off, substring(c.data FROM s.off + 1 FOR ${sliceBytes})
                 FROM (SELECT seq, data FROM blob_chunks
                        WHERE blob_id = ${id} AND seq > ${afterSeq} ORDER BY seq LIMIT ${limit}) c
                 CROSS JOIN LATERAL generate_series(0, length(c.data) - 1, ${sliceBytes}) AS s(off)
                ORDER BY c.seq) TO STDOUT (FORMAT binary)`,
        parser,
      ),
    );
    await copy.done;
    return { rows: parser.rows, lastSeq: parser.lastSeq, bytes: parser.bytes };
  } catch (err) {
    failed = err as Error;
    throw err;
  } finally {
    // A client whose COPY failed midway is not trusted with the next query.
    client.release(failed);
  }
}
