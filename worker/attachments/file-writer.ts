import type { Pool } from 'pg';
import {
  deleteUnlinkedFiles,
  insertFileBlob,
  type FileBlobKind,
} from '../../core/repositories/record-file.repository';
import { newFileKey, randomId, sealFileKey, type Bytes } from '../../crypto';
import { openBlobSink, writeBlob, type BlobSink } from './blob-sink';
import type { FileDeps } from './file-deps';

// The file blobs one attempt writes (ids random per attempt, so retries never collide), and the
// keys the record's transaction needs to link them; discard() deletes what was not linked.

export interface FilesToLink {
  /** Every blob written: sanitised copies and originals. */
  fileIds: string[];
  /** Held-back originals' keys H, sealed to the admins read under lock in the transaction. */
  heldBack: Array<{ fileId: string; key: Bytes }>;
  /** Originals kept for the custodian, their keys already sealed to the custodian key. */
  custodian: Array<{ fileId: string; custodianKeyId: string; wrappedKey: Bytes }>;
}

export class FileWriter {
  readonly link: FilesToLink = { fileIds: [], heldBack: [], custodian: [] };

  constructor(
    private readonly deps: FileDeps,
    private readonly db: Pool,
    private readonly submissionId: string,
  ) {}

  private async newBlob(kind: FileBlobKind): Promise<string> {
    const id = randomId();
    await insertFileBlob(this.db, { id, kind, submissionId: this.submissionId });
    this.link.fileIds.push(id);
    return id;
  }

  /** A sanitised copy under its sub-key of R. */
  async writeRecordFile(key: Bytes, data: Buffer): Promise<string> {
    const id = await this.newBlob('record-file');
    await writeBlob(this.deps.store, id, key, data);
    return id;
  }

  /** A sanitised copy written as a stream (a file too large to hold), `size` bytes. */
  async openRecordFile(key: Bytes, size: number): Promise<{ id: string; sink: BlobSink }> {
    const id = await this.newBlob('record-file');
    return { id, sink: openBlobSink(this.deps.store, id, key, size) };
  }

  /** Deletes one blob this attempt wrote and gave up on (a stream that failed verification). */
  async drop(id: string): Promise<void> {
    await deleteUnlinkedFiles(this.db, this.submissionId, [id]);
    const at = this.link.fileIds.indexOf(id);
    if (at >= 0) this.link.fileIds.splice(at, 1);
  }

  /** A held-back original under a fresh key H (sealed to admins when the record is stored). */
  async openHeldBack(size: number): Promise<{ id: string; sink: BlobSink }> {
    const key = newFileKey();
    const id = await this.newBlob('original');
    this.link.heldBack.push({ fileId: id, key });
    return { id, sink: openBlobSink(this.deps.store, id, key, size) };
  }

  /** ORIGINALS=custodian: the original under a fresh key sealed only to the custodian. */
  async openCustodianCopy(size: number): Promise<BlobSink | null> {
    const custodian = this.deps.custodian;
    if (!custodian) return null;
    const key = newFileKey();
    const id = await this.newBlob('original');
    this.link.custodian.push({
      fileId: id,
      custodianKeyId: custodian.keyId,
      wrappedKey: sealFileKey(key, custodian.publicKey),
    });
    return openBlobSink(this.deps.store, id, key, size);
  }

  /** Deletes what this attempt wrote, unless a stored record owns it by now. */
  async discard(): Promise<void> {
    if (this.link.fileIds.length === 0) return;
    await deleteUnlinkedFiles(this.db, this.submissionId, this.link.fileIds);
  }
}

/** A whole buffer through a sink (held-back or custodian original of a file held in memory). */
export async function writeAll(sink: BlobSink, data: Buffer): Promise<void> {
  const slice = 1024 * 1024;
  for (let at = 0; at < data.length; at += slice) await sink.write(data.subarray(at, at + slice));
  await sink.end();
}
