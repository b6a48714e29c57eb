import type { Pool, Submittable } from 'pg';
import { uuidLiteral } from '../db';

// Chunk rows read with COPY ... TO STDOUT (FORMAT binary) instead of a SELECT, which would send
// bytea as hex text both ends spend more time on than on the rows (core/blob-store/BLOB-STORE.md).

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER_BYTES = 19; // signature, flags, header extension length
const ROW_HEAD_BYTES = 14; // field count, then length and value of seq, then length of data

export interface CopiedChunk {
  seq: number;
  data: Buffer;
}

const bad = () => new Error('unexpected COPY binary output');

/**
 * COPY's binary format for rows of (integer, bytea), parsed as each CopyData message arrives.
 * Postgres sends one message per row, so a row's data is a view of that message's copy: one
 * copy per byte instead of gathering the whole output and copying it again into one buffer
 * (which cost about as much as the read itself, and as much again in garbage). A row split
 * across messages is still read, by joining only the bytes it spans.
 */
export class CopyRows {
  readonly rows: CopiedChunk[] = [];
  private carry: Buffer | null = null; // the start of a header or row that a later message ends
  private headerRead = false;
  private ended = false;

  /** `message` must be the caller's own bytes: rows are views of it. */
  push(message: Buffer): void {
    const buf = this.carry ? Buffer.concat([this.carry, message]) : message;
    this.carry = null;
    let at = 0;
    if (!this.headerRead) {
      if (buf.length < HEADER_BYTES) return void (this.carry = buf);
      if (!buf.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw bad();
      const start = HEADER_BYTES + buf.readInt32BE(15);
      if (buf.length < start) return void (this.carry = buf);
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
      if (fields !== 2) throw bad();
      if (buf.length - at < ROW_HEAD_BYTES) break;
      if (buf.readInt32BE(at + 2) !== 4) throw bad();
      const seq = buf.readInt32BE(at + 6);
      const length = buf.readInt32BE(at + 10);
      if (length < 0) throw bad();
      if (buf.length - at - ROW_HEAD_BYTES < length) break;
      at += ROW_HEAD_BYTES;
      this.rows.push({ seq, data: buf.subarray(at, at + length) });
      at += length;
    }
    if (at < buf.length) this.carry = buf.subarray(at);
  }

  /** The rows, once the output ended exactly at its trailer. */
  finish(): CopiedChunk[] {
    if (!this.ended || this.carry) throw bad();
    return this.rows;
  }
}

/** One COPY TO STDOUT in the simple query protocol; resolves to its rows. */
class CopyOut implements Submittable {
  private readonly parsed = new CopyRows();
  private failure: Error | null = null;
  private settled = false;
  readonly done: Promise<CopiedChunk[]>;
  private resolve!: (rows: CopiedChunk[]) => void;
  private reject!: (e: Error) => void;

  constructor(private readonly text: string) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }

  // The message's bytes are a view of the connection's buffer: copied before it moves on.
  // A parse error is kept for ReadyForQuery: the connection must finish the COPY first.
  handleCopyData(msg: { chunk: Buffer }): void {
    if (this.failure) return;
    try {
      this.parsed.push(Buffer.from(msg.chunk));
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
      this.resolve(this.parsed.finish());
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
 * Up to `limit` chunk rows of a blob after `afterSeq`, in order. COPY takes no parameters,
 * so both values are checked to be a UUID and an integer before they enter the statement.
 */
export async function copyChunks(
  pool: Pool,
  blobId: string,
  afterSeq: number,
  limit: number,
): Promise<CopiedChunk[]> {
  const id = uuidLiteral(blobId, 'copyChunks');
  if (!Number.isSafeInteger(afterSeq) || !Number.isSafeInteger(limit)) {
    throw new Error('copyChunks: bad arguments');
  }
  const client = await pool.connect();
  let failed: Error | undefined;
  try {
    const copy = client.query(
      new CopyOut(
        `COPY (SELECT seq, data FROM blob_chunks WHERE blob_id = ${id} AND seq > ${afterSeq}
                ORDER BY seq LIMIT ${limit}) TO STDOUT (FORMAT binary)`,
      ),
    );
    return await copy.done;
  } catch (err) {
    failed = err as Error;
    throw err;
  } finally {
    // A client whose COPY failed midway is not trusted with the next query.
    client.release(failed);
  }
}
