import type { Readable } from 'node:stream';

// Encrypted files live in chunks behind this interface: Postgres rows by default, an
// S3-compatible object store where deployments outgrow it. The bytes are always ciphertext;
// a store never interprets them.

export type BlobKind = 'upload' | 'record-file' | 'original';

export interface BlobState {
  id: string;
  kind: BlobKind;
  /** Bytes durably stored: the tus offset. */
  length: number;
  declaredLength: number | null;
  complete: boolean;
}

export interface AppendResult {
  offset: number;
  complete: boolean;
}

/** Why a chunk was not written; nothing was stored. */
export type AppendRefusal = 'missing' | 'offset' | 'complete' | 'overflow';

export class BlobAppendError extends Error {
  readonly reason: AppendRefusal;
  /** The offset durably stored when the append stopped. */
  readonly offset: number;
  constructor(reason: AppendRefusal, offset: number) {
    super(`blob append refused: ${reason}`);
    this.name = 'BlobAppendError';
    this.reason = reason;
    this.offset = offset;
  }
}

export interface AppendOptions {
  /** Bytes beyond this many are not written; the append then fails with 'overflow'. */
  maxBytes?: number;
  /** Sees every chunk once it is committed, in order (e.g. an incremental hash); the
   * buffer is reused afterwards, so copy what must outlive the call. */
  onChunk?: (chunk: Buffer) => void;
}

export interface BlobStore {
  /** Chunk size used by append(); the last chunk of an append may be shorter. */
  readonly chunkBytes: number;
  /** A new, empty blob; with a declared length it completes when that many bytes arrive. */
  create(
    kind: BlobKind,
    declaredLength: number | null,
    options?: { expiresInDays?: number },
  ): Promise<string>;
  state(id: string): Promise<BlobState | null>;
  offset(id: string): Promise<number | null>;
  /**
   * Writes one chunk at expectedOffset and commits it before resolving: the stored length is
   * exactly what is durable. Concurrent writers at the same offset: one wins, one is refused
   * (BlobAppendError). The caller may reuse data once this resolves.
   */
  appendChunk(id: string, expectedOffset: number, data: Buffer): Promise<AppendResult>;
  /**
   * Streams source into chunks of chunkBytes, committing each as it fills. If the source
   * fails (a dropped connection), the bytes already received are still written, then the
   * error is rethrown.
   */
  append(
    id: string,
    offset: number,
    source: AsyncIterable<Uint8Array>,
    options?: AppendOptions,
  ): Promise<AppendResult>;
  /** Marks complete (a blob without a declared length) and records the ciphertext hash. */
  complete(id: string, sha256?: Uint8Array): Promise<boolean>;
  /** Chunk by chunk, memory flat; errors if the blob is missing or changes while read. */
  read(id: string): Readable;
  delete(id: string): Promise<boolean>;
  /**
   * Stores whose bytes live outside Postgres (S3): removes the bytes of blobs deleted by
   * plain SQL since the last sweep (expiry, termination, cascades). Resolves to how many.
   */
  sweep?(): Promise<number>;
}
