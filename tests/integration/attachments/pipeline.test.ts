import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { buildDocx, CONTENT, PLANTED } from '../../fixtures/make-office';
import { GPS, makeJpeg } from '../../fixtures/make-image';
import { dumpTags, recoverable, type TestDirs } from '../../fixtures/make-sanitise-context';
import type { TestApp } from '../../support/app';
import { TEST_DATABASE_URL } from '../../support/env';
import { captureLogs, type TestKeys } from '../../support/worker';
import { readRecordWhenDone } from '../worker/worker-fixtures';
import {
  blobCounts,
  enrol,
  openHeldBack,
  readCleanFile,
  recordKeyFor,
  submitWithFiles,
  unknownBinary,
  type Reviewer,
} from './attachment-fixtures';
import { startAttachmentStack, type AttachmentStack } from './attachment-stack';
import { redisDump } from '../../support/redis-dump';

// The whole path for a testimony with files: tus upload of the client's ciphertext → worker
// decrypts, sanitises in memory, re-encrypts under sub-keys of R → reviewers read clean copies;
// a file no sanitiser takes is held back, its original sealed to admins only.

jest.setTimeout(120_000);
const run = promisify(execFile);

describe('attachments: sanitised, held back, and nothing left behind', () => {
  let app: TestApp;
  let keys: TestKeys;
  let dirs: TestDirs;
  let admin: Reviewer;
  let stack: AttachmentStack | undefined;
  let plain: Reviewer;
  const logs = captureLogs('debug');
  const canary = `CANARY-${randomUUID()}`;

  beforeAll(async () => {
    stack = await startAttachmentStack({ log: logs.log });
    ({ app, keys, dirs, admin } = stack);
    plain = await enrol(app.pool, 'reviewer');
  });

  afterAll(async () => stack?.close());

  it('stores clean copies, holds back the unknown, deletes the uploads, leaks nothing', async () => {
    const jpeg = await makeJpeg(dirs.fixtures);
    const jpegData = readFileSync(jpeg.path);
    expect((await dumpTags(jpegData, 'jpg', dirs.ctx)).text).toMatch(/GPS/); // planted for real
    const docx = await buildDocx();
    const binary = unknownBinary(canary);
    const { submissionId, uploadIds } = await submitWithFiles(
      app.url,
      keys.intake.publicKey,
      `저는 2019년에 러시아 건설 현장으로 파견되었습니다. ${canary}`,
      [
        { name: 'IMG_0042.jpg', type: 'image/jpeg', data: jpegData },
        { name: `계약서 ${canary}.docx`, type: 'application/octet-stream', data: docx },
        { name: 'notes.bin', type: 'application/octet-stream', data: binary },
      ],
    );
    const { body, recordId } = await readRecordWhenDone(app.pool, submissionId, plain);
    expect(body.files.map((f) => f.status)).toEqual(['clean', 'clean', 'unsanitised']);
    expect(body.originals).toEqual({ custodian: false, count: 0 });
    const r = await recordKeyFor(app.pool, recordId, plain);

    const [jpgFile, docFile, binFile] = body.files;
    expect(jpgFile).toMatchObject({
      status: 'clean',
      // The source's file name (a capture time, a person's name) never reaches reviewers.
      name: 'attachment-1.jpg',
      mime: 'image/jpeg',
      subkeyId: 1,
    });
    const cleanJpeg = await readCleanFile(app.pool, r, jpgFile!);
    const tags = await dumpTags(cleanJpeg, 'jpg', dirs.ctx);
    expect(tags.text).not.toMatch(/GPS|Serial|Canon|Artist/);
    expect(recoverable(cleanJpeg, [...jpeg.planted, GPS.lat, GPS.lon], tags.text)).toEqual([]);
    // Orientation applied: 64×32 stored with Orientation 6 reads as 32×64.
    expect(await sharp(cleanJpeg).metadata()).toMatchObject({ width: 32, height: 64 });

    expect(docFile).toMatchObject({ status: 'clean', extension: 'docx', subkeyId: 2 });
    expect(docFile!.name).toBe('attachment-2.docx');
    expect(JSON.stringify(body.files)).not.toMatch(/IMG_0042|계약서/);
    const cleanDocx = await readCleanFile(app.pool, r, docFile!);
    const parts = unzipSync(cleanDocx);
    const views = Object.values(parts).map((b) => Buffer.from(b).toString('utf8'));
    expect(recoverable(cleanDocx, Object.values(PLANTED), ...views)).toEqual([]);
    expect(views.join('\n')).toContain(CONTENT.body);

    expect(binFile).toMatchObject({
      status: 'unsanitised',
      reason: 'UNSUPPORTED_FORMAT',
      size: binary.length,
    });
    if (binFile!.status !== 'unsanitised' || !binFile!.fileId) throw new Error('not held back');
    const { rows: holders } = await app.pool.query(
      `SELECT reviewer_id FROM record_file_keys WHERE file_id = $1`,
      [binFile!.fileId],
    );
    expect(holders.map((h) => h.reviewer_id)).toEqual([admin.id]); // never the plain reviewer
    await expect(openHeldBack(app.pool, binFile!.fileId, plain)).rejects.toThrow('no key');
    expect((await openHeldBack(app.pool, binFile!.fileId, admin)).equals(binary)).toBe(true);

    // The client's ciphertext is gone; the record's blobs are all linked.
    const { rows: left } = await app.pool.query(`SELECT id FROM blobs WHERE id = ANY($1::uuid[])`, [
      uploadIds,
    ]);
    expect(left).toEqual([]);
    // The JPEG's and the DOCX's clean copies, and the DOCX's safe rendition (issue 15).
    expect(await blobCounts(app.pool, submissionId)).toEqual(['original: 1', 'record-file: 3']);

    // Canary: no plaintext marker in the database, Redis or the logs.
    const url = new URL(TEST_DATABASE_URL);
    const { stdout: dump } = await run(
      'pg_dump',
      ['--dbname', url.toString(), '--schema', app.db.schema],
      {
        maxBuffer: 256 * 1024 * 1024,
      },
    );
    expect(dump).toContain('record_file_keys');
    const redis = await redisDump(app.prefix);
    const logText = logs.text();
    expect(logText).toContain('job.completed');
    const markers = [canary, GPS.lat, GPS.lon, 'PLANT-SERIAL', PLANTED.author, '파견', '계약서'];
    for (const haystack of [dump, redis, logText])
      for (const m of markers) {
        expect(haystack).not.toContain(m);
        expect(haystack).not.toContain(Buffer.from(m).toString('hex'));
      }

    // Deleting the record (retention, or any other way) deletes its files and their keys.
    await app.pool.query(`DELETE FROM records WHERE id = $1`, [recordId]);
    expect(await blobCounts(app.pool, submissionId)).toEqual([]);
    const { rows: keysLeft } = await app.pool.query(`SELECT 1 FROM record_file_keys`);
    expect(keysLeft).toEqual([]);
  });
});
