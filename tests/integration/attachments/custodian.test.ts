import { readFileSync } from 'node:fs';
import {
  generateBoxKeyPair,
  initCrypto,
  openFileKey,
  toBase64,
  type BoxKeyPair,
} from '../../../crypto';
import { ConfigError } from '../../../core/config';
import { fileDepsFromConfig } from '../../../worker/attachments/file-deps';
import { makeJpeg } from '../../fixtures/make-image';
import { type TestDirs } from '../../fixtures/make-sanitise-context';
import type { TestApp } from '../../support/app';
import { type TestKeys } from '../../support/worker';
import { testBytes } from '../uploads/tus-fixtures';
import { readRecordWhenDone } from '../worker/worker-fixtures';
import {
  blobCounts,
  decryptBlob,
  openHeldBack,
  submitWithFiles,
  unknownBinary,
  type Reviewer,
} from './attachment-fixtures';
import { startAttachmentStack, type AttachmentStack } from './attachment-stack';

// ORIGINALS=custodian: every original, clean or not, is also kept under a key sealed only to
// the offline custodian. And a file over SANITISE_MAX_BYTES is held back without ever being
// held whole: streamed into its admin-sealed original and the custodian's copy at once.

jest.setTimeout(120_000);

describe('attachments: originals for the custodian, files too large to sanitise', () => {
  let app: TestApp;
  let keys: TestKeys;
  let dirs: TestDirs;
  let admin: Reviewer;
  let stack: AttachmentStack | undefined;
  let custodian: BoxKeyPair;

  beforeAll(async () => {
    await initCrypto();
    custodian = generateBoxKeyPair();
    stack = await startAttachmentStack({
      config: {
        ORIGINALS: 'custodian',
        CUSTODIAN_PUBLIC_KEY: toBase64(custodian.publicKey),
        SANITISE_MAX_BYTES: 100_000,
        UPLOAD_CHUNK_BYTES: 65536,
      },
    });
    ({ app, keys, dirs, admin } = stack);
  });

  afterAll(async () => stack?.close());

  it('keeps each original sealed to the custodian only', async () => {
    const jpeg = readFileSync((await makeJpeg(dirs.fixtures)).path);
    const binary = unknownBinary('custodian-marker');
    const large = testBytes(300_000); // > SANITISE_MAX_BYTES, several 64 KiB frames
    const { submissionId } = await submitWithFiles(app.url, keys.intake.publicKey, '원본 보관', [
      { name: 'photo.jpg', type: 'image/jpeg', data: jpeg },
      { name: 'data.bin', type: '', data: binary },
      { name: 'recording.raw', type: '', data: large },
    ]);
    const { body, recordId } = await readRecordWhenDone(app.pool, submissionId, admin);
    expect(body.originals).toEqual({ custodian: true, count: 3 });
    expect(body.files.map((f) => (f.status === 'clean' ? 'clean' : f.reason))).toEqual([
      'clean',
      'UNSUPPORTED_FORMAT',
      'TOO_LARGE_TO_SANITISE',
    ]);
    // 1 clean copy, 2 held-back originals (admins), 3 custodian originals.
    expect(await blobCounts(app.pool, submissionId)).toEqual(['original: 5', 'record-file: 1']);

    const { rows } = await app.pool.query<{ file_id: string; wrapped_key: Buffer }>(
      `SELECT c.file_id, c.wrapped_key FROM custodian_keys c JOIN blobs b ON b.id = c.file_id
        WHERE b.record_id = $1`,
      [recordId],
    );
    expect(rows).toHaveLength(3);
    const opened: Buffer[] = [];
    for (const row of rows) {
      // No reviewer, admins included, holds a key to a custodian original.
      const { rows: reviewerKeys } = await app.pool.query(
        `SELECT 1 FROM record_file_keys WHERE file_id = $1`,
        [row.file_id],
      );
      expect(reviewerKeys).toEqual([]);
      expect(() => openFileKey(row.wrapped_key, admin.box)).toThrow();
      opened.push(
        await decryptBlob(app.pool, row.file_id, openFileKey(row.wrapped_key, custodian)),
      );
    }
    const sorted = (bufs: Buffer[]) => bufs.map((b) => b.toString('hex')).sort();
    expect(sorted(opened)).toEqual(sorted([jpeg, binary, large]));

    // The too-large file is held back with its original released to the admin intact.
    const tooLarge = body.files[2]!;
    if (tooLarge.status !== 'unsanitised' || !tooLarge.fileId) throw new Error('not held back');
    expect(tooLarge.report).toBeNull();
    expect((await openHeldBack(app.pool, tooLarge.fileId, admin)).equals(large)).toBe(true);
  });

  it('refuses to start with ORIGINALS=custodian and no usable custodian key', () => {
    for (const key of [undefined, 'not base64!', toBase64(new Uint8Array(31))])
      expect(() =>
        fileDepsFromConfig({ ORIGINALS: 'custodian', CUSTODIAN_PUBLIC_KEY: key }, app.pool),
      ).toThrow(ConfigError);
    expect(fileDepsFromConfig({ ORIGINALS: 'discard' }, app.pool).custodian).toBeNull();
  });
});
