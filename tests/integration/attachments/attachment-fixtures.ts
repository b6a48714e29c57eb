import { randomBytes as testBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { createPostgresBlobStore } from '../../../core/blob-store';
import { insertReviewer } from '../../../core/repositories/reviewer.repository';
import {
  attachmentKey,
  buildSubmission,
  createDecryptStream,
  generateBoxKeyPair,
  generateSignKeyPair,
  openFileKey,
  randomBytes,
  randomId,
  recordFileKey,
  sha256Hex,
  unwrapRecordKey,
  type BoxKeyPair,
  type SubmissionAttachment,
} from '../../../crypto';
import type { RecordFile } from '../../../core/record/record-body';
import { collect, encryptFile, tusClientUpload, uploadIdOf } from '../uploads/tus-fixtures';

// What the attachment tests share: a source's client (encrypt each file under its sub-key of
// K, upload it with tus-js-client, POST the envelope naming it), and a reviewer's side (unwrap
// R, derive the record-file key, decrypt a stored blob; an admin opening a held-back original).

export interface TestFile {
  name: string;
  type: string;
  data: Buffer;
}

export interface Reviewer {
  id: string;
  box: BoxKeyPair;
}

export async function enrol(pool: Pool, role: 'reviewer' | 'admin'): Promise<Reviewer> {
  const box = generateBoxKeyPair();
  const id = randomId();
  await insertReviewer(pool, {
    id,
    name: `${role}-${id.slice(0, 8)}`,
    boxPublicKey: box.publicKey,
    signPublicKey: generateSignKeyPair().publicKey,
    role,
  });
  return { id, box };
}

export interface Submitted {
  submissionId: string;
  uploadIds: string[];
}

/** The client's side. `claim: false` leaves the uploads out of the envelope's list. */
export async function submitWithFiles(
  appUrl: string,
  intakePublicKey: Uint8Array,
  text: string,
  files: readonly TestFile[],
  options: { claim?: boolean; lie?: (a: SubmissionAttachment) => SubmissionAttachment } = {},
): Promise<Submitted> {
  const contentKey = randomBytes(32);
  const attachments: SubmissionAttachment[] = [];
  for (const [i, f] of files.entries()) {
    const { ciphertext } = await encryptFile(f.data, attachmentKey(contentKey, i + 1));
    const uploadId = uploadIdOf(
      await tusClientUpload(`${appUrl}/v1/uploads`, ciphertext, { chunkSize: 256 * 1024 }),
    );
    const a = { uploadId, name: f.name, type: f.type, size: f.data.length, subkeyId: i + 1 };
    attachments.push(
      options.lie
        ? options.lie({ ...a, sha256: sha256Hex(f.data) })
        : { ...a, sha256: sha256Hex(f.data) },
    );
  }
  const { envelope } = buildSubmission({
    intakePublicKey,
    manifest: { text, attachments },
    contentKey,
  });
  if (options.claim === false) delete envelope.uploads;
  const res = await fetch(`${appUrl}/v1/submissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(envelope),
  });
  if (res.status !== 202) throw new Error(`submission answered ${res.status}`);
  return { submissionId: envelope.id, uploadIds: attachments.map((a) => a.uploadId) };
}

export async function recordKeyFor(pool: Pool, recordId: string, r: Reviewer): Promise<Uint8Array> {
  const { rows } = await pool.query<{ wrapped_key: Buffer }>(
    `SELECT wrapped_key FROM record_keys WHERE record_id = $1 AND reviewer_id = $2`,
    [recordId, r.id],
  );
  if (!rows[0]) throw new Error('no record key for this reviewer');
  return unwrapRecordKey(rows[0].wrapped_key, r.box);
}

export async function decryptBlob(pool: Pool, blobId: string, key: Uint8Array): Promise<Buffer> {
  const store = createPostgresBlobStore(pool, { chunkBytes: 65536 });
  return collect(store.read(blobId).pipe(createDecryptStream(key)));
}

/** A reviewer holding R reads a clean file, and checks it against the record body. */
export async function readCleanFile(
  pool: Pool,
  recordKey: Uint8Array,
  f: RecordFile,
): Promise<Buffer> {
  if (f.status !== 'clean') throw new Error(`not clean: ${f.reason}`);
  const data = await decryptBlob(pool, f.fileId, recordFileKey(recordKey, f.subkeyId));
  if (data.length !== f.size || sha256Hex(data) !== f.sha256) throw new Error('hash mismatch');
  return data;
}

/** An admin releasing a held-back original: their sealed copy of H, then the stream. */
export async function openHeldBack(pool: Pool, fileId: string, admin: Reviewer): Promise<Buffer> {
  const { rows } = await pool.query<{ wrapped_key: Buffer }>(
    `SELECT wrapped_key FROM record_file_keys WHERE file_id = $1 AND reviewer_id = $2`,
    [fileId, admin.id],
  );
  if (!rows[0]) throw new Error('no key for this reviewer');
  return decryptBlob(pool, fileId, openFileKey(rows[0].wrapped_key, admin.box));
}

export async function blobCounts(pool: Pool, submissionId: string) {
  const { rows } = await pool.query<{ kind: string; linked: boolean; n: number }>(
    `SELECT kind, record_id IS NOT NULL AS linked, count(*)::int AS n FROM blobs
      WHERE submission_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
    [submissionId],
  );
  return rows.map((r) => `${r.kind}${r.linked ? '' : ' (unlinked)'}: ${r.n}`);
}

/** An unknown binary with a marker inside: no sanitiser takes it (node:crypto: no secret). */
export function unknownBinary(marker: string): Buffer {
  return Buffer.concat([
    Buffer.from([0x00, 0x53, 0x4f, 0x52, 0x49, 0xfe]),
    Buffer.from(marker),
    testBytes(3000),
  ]);
}
