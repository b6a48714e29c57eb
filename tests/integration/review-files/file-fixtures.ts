import { Readable } from 'node:stream';
import type { Pool } from 'pg';
import { createPostgresBlobStore, type BlobKind } from '../../../core/blob-store';
import { completeSubmission } from '../../../core/repositories/processing.repository';
import { insertRecord, insertRecordKeys } from '../../../core/repositories/record.repository';
import { insertSubmission } from '../../../core/repositories/submission.repository';
import {
  createEncryptStream,
  encryptRecordBody,
  newFileKey,
  newRecordKey,
  randomBytes,
  randomId,
  recordFileKey,
  sealFileKey,
  sha256,
  sha256Hex,
  wrapRecordKey,
  type Bytes,
} from '../../../crypto';
import { insertTestIntakeKey } from '../../support/app';
import type { TestReviewer } from '../review/review-fixtures';

// A record as the worker stores one with attachments: a clean file encrypted under a sub-key of
// the record key R (crypto recordFileKey), and a held-back original under a fresh key H sealed to
// admins only (record_file_keys, migration 003).

export async function storeEncrypted(
  pool: Pool,
  kind: BlobKind,
  key: Bytes,
  plaintext: Buffer,
  submissionId: string,
): Promise<string> {
  const store = createPostgresBlobStore(pool, { chunkBytes: 65536 });
  const id = await store.create(kind, null);
  await store.append(
    id,
    0,
    Readable.from([plaintext]).pipe(createEncryptStream(key, plaintext.length)),
  );
  await store.complete(id);
  await pool.query(`UPDATE blobs SET submission_id = $2 WHERE id = $1`, [id, submissionId]);
  return id;
}

export interface FileRecord {
  id: string;
  recordKey: Bytes;
  clean: { fileId: string; plaintext: Buffer };
  original: { fileId: string; plaintext: Buffer; key: Bytes };
}

export async function seedFileRecord(
  pool: Pool,
  readers: readonly TestReviewer[],
  custodians: readonly TestReviewer[],
): Promise<FileRecord> {
  const intake = await pool.query<{ id: string }>(
    `SELECT id FROM intake_keys WHERE status = 'current'`,
  );
  const submissionId = randomId();
  await insertSubmission(pool, {
    id: submissionId,
    intakeKeyId: intake.rows[0]?.id ?? (await insertTestIntakeKey(pool)).id,
    sealedKey: Uint8Array.of(1, ...randomBytes(80)),
    manifest: Uint8Array.of(1, ...randomBytes(100)),
    envelopeSha256: randomBytes(32),
    sourceTokenHash: null,
  });
  await completeSubmission(pool, submissionId);
  const id = randomId();
  const recordKey = newRecordKey();
  const clean = Buffer.from(randomBytes(200_000));
  const original = Buffer.from(randomBytes(70_000));
  const h = newFileKey();
  const cleanId = await storeEncrypted(
    pool,
    'record-file',
    recordFileKey(recordKey, 1),
    clean,
    submissionId,
  );
  const originalId = await storeEncrypted(pool, 'original', h, original, submissionId);
  for (const c of custodians) {
    await pool.query(
      `INSERT INTO record_file_keys (file_id, reviewer_id, wrapped_key) VALUES ($1, $2, $3)`,
      [originalId, c.id, Buffer.from(sealFileKey(h, c.keys.box.publicKey))],
    );
  }
  const body = {
    v: 1,
    text: '사진을 첨부합니다.',
    files: [
      {
        status: 'clean',
        fileId: cleanId,
        name: 'photo.jpg',
        mime: 'image/jpeg',
        extension: 'jpg',
        size: clean.length,
        sha256: sha256Hex(clean),
        subkeyId: 1,
        report: { format: 'jpeg', removed: ['EXIF GPS'], kept: [] },
      },
      {
        status: 'unsanitised',
        fileId: originalId,
        name: 'contract.xyz',
        reason: 'UNSUPPORTED_FORMAT',
        size: original.length,
        sha256: sha256Hex(original),
        report: null,
      },
    ],
    originals: { custodian: false, count: 1 },
  };
  const sealed = encryptRecordBody(recordKey, id, body);
  await insertRecord(pool, {
    id,
    submissionId,
    body: sealed,
    bodySha256: sha256(sealed),
    receivedOn: new Date().toISOString().slice(0, 10),
    language: 'ko',
    translated: false,
  });
  // As the worker links them in the transaction that stores the record (migration 003).
  await pool.query(`UPDATE blobs SET record_id = $1 WHERE submission_id = $2`, [id, submissionId]);
  await insertRecordKeys(
    pool,
    id,
    readers.map((r) => ({
      reviewerId: r.id,
      wrappedKey: wrapRecordKey(recordKey, r.keys.box.publicKey),
    })),
  );
  return {
    id,
    recordKey,
    clean: { fileId: cleanId, plaintext: clean },
    original: { fileId: originalId, plaintext: original, key: h },
  };
}
