import {
  BlobAppendError,
  type AppendOptions,
  type AppendResult,
  type BlobStore,
} from './blob-store';

/**
 * A chunk whose first byte arrived this long ago is committed even if not full. A source over
 * Tor sends ~100 KB/s: without this, each slow upload would hold up to two chunk buffers of
 * its bytes in memory (hundreds of MiB for a few hundred sources) and a dropped circuit would
 * lose up to a chunk. Fast uploads fill a chunk long before and are unaffected.
 */
export const PARTIAL_CHUNK_AFTER_MS = 2_000;

const asBuffer = (b: Uint8Array): Buffer =>
  Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/**
 * The store-independent half of append(): cuts a byte stream into chunks of chunkBytes and
 * commits each through appendChunk as it fills. The pieces of the next chunk gather while the
 * previous one is being committed, so receiving and storing overlap instead of taking turns;
 * at most one commit is in flight, so chunks are committed in order and the awaits still give
 * the socket its backpressure. Until a source proves fast its pieces are held as it gave them
 * (a stream never reuses what it handed on) and joined per chunk, so a slow source holds no
 * more than PARTIAL_CHUNK_AFTER_MS of its bytes (chunk buffers made up front cost every open
 * upload two full chunks however slowly its bytes came: 400 MiB for 200 sources over Tor).
 */
export async function appendChunked(
  store: Pick<BlobStore, 'appendChunk' | 'chunkBytes'>,
  id: string,
  offset: number,
  source: AsyncIterable<Uint8Array>,
  options: AppendOptions = {},
): Promise<AppendResult> {
  const max = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
  let pieces: Buffer[] = []; // the chunk being gathered, until the source proves fast
  // A source that fills a whole chunk before PARTIAL_CHUNK_AFTER_MS is fast: from then on its
  // bytes are copied as they arrive into two chunk buffers taking turns (one fills while the
  // other commits), which leaves no garbage per chunk. A slow source never gets them.
  const full: Buffer[] = [];
  let turn = 0; // the buffer being filled, once fast
  let size = 0;
  let firstAt = 0; // when its first byte arrived
  let received = 0;
  let overflow = false;
  let last: AppendResult = { offset, complete: false };
  let inFlight: { commit: Promise<void>; data: Buffer } | null = null;
  // Once a commit failed nothing after it may be written: its bytes would land at its offset.
  let commitFailed = false;

  /** Waits for the commit in flight, if any (its refusal or failure is thrown here). */
  const committed = async (): Promise<Buffer | null> => {
    const pending = inFlight;
    inFlight = null;
    if (!pending) return null;
    await pending.commit;
    return pending.data;
  };

  /** The commit in flight done and seen by onChunk. */
  const settle = async (): Promise<void> => {
    const data = await committed();
    if (data) options.onChunk?.(data);
  };

  /**
   * Once the previous commit is done, starts committing the gathered chunk, and only then
   * hands the previous chunk to onChunk: a slow observer (the upload's SHA-256) runs while
   * Postgres works on the next chunk.
   */
  const flush = async (): Promise<void> => {
    const previous = await committed();
    let data: Buffer;
    if (full.length > 0) data = full[turn]!.subarray(0, size);
    else if (size === store.chunkBytes) {
      full.push(Buffer.allocUnsafe(store.chunkBytes), Buffer.allocUnsafe(store.chunkBytes));
      data = full[turn]!;
      let at = 0;
      for (const p of pieces) at += p.copy(data, at);
    } else data = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, size);
    // The other buffer was committed before this flush began, and onChunk saw it last flush.
    if (full.length > 0) turn = 1 - turn;
    pieces = [];
    size = 0;
    const commit = store.appendChunk(id, last.offset, data).then(
      (result) => {
        last = result;
      },
      (err: unknown) => {
        commitFailed = true;
        throw err;
      },
    );
    // Observed here so a failure while the next chunk gathers is not an unhandled rejection;
    // committed() still sees it.
    commit.catch(() => undefined);
    inFlight = { commit, data };
    if (previous) options.onChunk?.(previous);
  };

  try {
    for await (const piece of source) {
      let buf = asBuffer(piece);
      if (received + buf.length > max) {
        buf = buf.subarray(0, max - received);
        overflow = true;
      }
      received += buf.length;
      while (buf.length > 0) {
        if (size === 0) firstAt = Date.now();
        const n = Math.min(buf.length, store.chunkBytes - size);
        if (full.length > 0) buf.copy(full[turn]!, size, 0, n);
        else pieces.push(buf.subarray(0, n));
        size += n;
        buf = buf.subarray(n);
        if (size === store.chunkBytes) await flush();
      }
      if (size > 0 && Date.now() - firstAt >= PARTIAL_CHUNK_AFTER_MS) await flush();
      if (overflow) break;
    }
  } catch (err) {
    // A dropped circuit keeps every byte that arrived: the chunk in flight is committed, the
    // partial one after it, and the client resumes from the stored offset. A refused write
    // has nothing more to keep.
    if (!commitFailed && !(err instanceof BlobAppendError)) {
      try {
        await settle();
        if (size > 0) await flush();
        await settle();
      } catch {
        // The source's error is the one to report; the store says what it kept.
      }
    }
    throw err;
  }
  if (size > 0) await flush();
  await settle();
  if (overflow) throw new BlobAppendError('overflow', last.offset);
  return last;
}
