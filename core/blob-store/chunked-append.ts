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
 * commits each through appendChunk as it fills. Two chunk buffers take turns: one fills from
 * the socket while the other is being committed, so receiving and storing overlap instead of
 * taking turns. Memory holds two chunks whatever the upload's size; at most one commit is in
 * flight, so chunks are committed in order and the awaits still give the socket its
 * backpressure. A buffer is refilled only once its commit resolved: a store must be done with
 * the bytes by then. A slow source's partial chunk is committed after PARTIAL_CHUNK_AFTER_MS.
 */
export async function appendChunked(
  store: Pick<BlobStore, 'appendChunk' | 'chunkBytes'>,
  id: string,
  offset: number,
  source: AsyncIterable<Uint8Array>,
  options: AppendOptions = {},
): Promise<AppendResult> {
  const max = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
  const buffers = [Buffer.allocUnsafe(store.chunkBytes), Buffer.allocUnsafe(store.chunkBytes)];
  let filling = 0; // index of the buffer being filled
  let size = 0;
  let firstAt = 0; // when the first byte of the chunk being filled arrived
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
   * Once the previous commit is done, starts committing the filled buffer, and only then
   * hands the previous chunk to onChunk: a slow observer (the upload's SHA-256) runs while
   * Postgres works on the next chunk. Its buffer is refilled only after this returns.
   */
  const flush = async (): Promise<void> => {
    const previous = await committed();
    const data = buffers[filling]!.subarray(0, size);
    const commit = store.appendChunk(id, last.offset, data).then(
      (result) => {
        last = result;
      },
      (err: unknown) => {
        commitFailed = true;
        throw err;
      },
    );
    // Observed here so a failure while the next chunk fills is not an unhandled rejection;
    // committed() still sees it.
    commit.catch(() => undefined);
    inFlight = { commit, data };
    filling = 1 - filling;
    size = 0;
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
        const n = buf.copy(buffers[filling]!, size);
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
