import {
  BlobAppendError,
  type AppendOptions,
  type AppendResult,
  type BlobStore,
} from './blob-store';

const asBuffer = (b: Uint8Array): Buffer =>
  Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/**
 * The store-independent half of append(): cuts a byte stream into chunks of chunkBytes and
 * commits each through appendChunk as it fills, so memory holds one chunk whatever the
 * upload's size, and the awaits give the socket its backpressure. The chunk buffer is
 * reused: a store must be done with the bytes when appendChunk resolves.
 */
export async function appendChunked(
  store: Pick<BlobStore, 'appendChunk' | 'chunkBytes'>,
  id: string,
  offset: number,
  source: AsyncIterable<Uint8Array>,
  options: AppendOptions = {},
): Promise<AppendResult> {
  const max = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
  // One chunk buffer, reused: each is committed (awaited) before the next is filled.
  const chunk = Buffer.allocUnsafe(store.chunkBytes);
  let size = 0;
  let received = 0;
  let overflow = false;
  let last: AppendResult = { offset, complete: false };

  const flush = async (): Promise<void> => {
    const data = chunk.subarray(0, size);
    last = await store.appendChunk(id, last.offset, data);
    options.onChunk?.(data);
    size = 0;
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
        const n = buf.copy(chunk, size);
        size += n;
        buf = buf.subarray(n);
        if (size === chunk.length) await flush();
      }
      if (overflow) break;
    }
  } catch (err) {
    // A dropped circuit keeps every byte that arrived: the partial chunk is written too, and
    // the client resumes from the stored offset. A refused write has nothing more to keep.
    if (size > 0 && !(err instanceof BlobAppendError)) await flush().catch(() => undefined);
    throw err;
  }
  if (size > 0) await flush();
  if (overflow) throw new BlobAppendError('overflow', last.offset);
  return last;
}
