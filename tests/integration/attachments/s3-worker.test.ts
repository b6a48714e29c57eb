import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Target } from '../../../core/blob-store';
import { silentLogger } from '../../../core/logger';
import { createUploadCleanup } from '../../../server/uploads';
import { fileDepsFromConfig } from '../../../worker/attachments/file-deps';
import type { JobContext } from '../../../worker/jobs/job-context';
import { processSubmission } from '../../../worker/jobs/process-submission.job';
import { registerWorkerKeys } from '../../../worker/register-keys';
import { stopExiftool } from '../../../worker/sanitise/exiftool';
import type { TestApp } from '../../support/app';
import { listKeys, startS3App, type S3App, type TestS3 } from '../../support/s3rver';
import { createTestKeys, directJobContext, type TestKeys } from '../../support/worker';
import { collect } from '../uploads/tus-fixtures';
import { recordsFor, submissionRow } from '../worker/worker-fixtures';
import {
  blobCounts,
  enrol,
  submitWithFiles,
  unknownBinary,
  type TestFile,
} from './attachment-fixtures';

// The worker with BLOB_STORE=s3 (s3rver): it reads uploads from objects and writes the
// record's files as objects; an object altered in the store is refused, as is an unclaimed
// upload; processed uploads' objects are removed by the sweep.

jest.setTimeout(60_000);

describe('worker over the S3 blob store (s3rver)', () => {
  let stack: S3App | undefined;
  let s3: TestS3;
  let app: TestApp;
  let keys: TestKeys;
  let ctx: JobContext;
  let target: S3Target;
  const files: TestFile[] = [
    { name: 'a.txt', type: 'text/plain', data: Buffer.from('증언 첨부 파일입니다.\n') },
    { name: 'b.bin', type: 'application/octet-stream', data: unknownBinary('marker') },
  ];

  beforeAll(async () => {
    stack = await startS3App(65536);
    ({ s3, app, target } = stack);
    keys = await createTestKeys();
    await registerWorkerKeys(app.pool, keys.keys, silentLogger);
    await enrol(app.pool, 'admin');
    ctx = directJobContext(app.pool, keys.keys, fileDepsFromConfig(app.config, app.pool));
  });
  afterAll(async () => {
    await stack?.close();
    await stopExiftool();
  });

  const submit = (options?: Parameters<typeof submitWithFiles>[4]) =>
    submitWithFiles(app.url, keys.intake.publicKey, '첨부 파일과 함께 보냅니다.', files, options);
  const keysOf = (id: string) => listKeys(target.client, s3.bucket, `blobs/${id}/`);
  const sweep = () =>
    createUploadCleanup({ pool: app.pool, log: silentLogger, store: app.store })();

  it('stores the record files as objects and removes the processed uploads', async () => {
    const { submissionId, uploadIds } = await submit();
    for (const id of uploadIds) expect((await keysOf(id)).length).toBeGreaterThan(0);
    expect(await processSubmission(ctx, { submissionId })).toBe('created');
    expect(await blobCounts(app.pool, submissionId)).toEqual(['original: 1', 'record-file: 1']);

    const { rows } = await app.pool.query<{ id: string; store: string; length: string }>(
      `SELECT id, store, length FROM blobs WHERE submission_id = $1`,
      [submissionId],
    );
    const { store } = stack!;
    for (const b of rows) {
      expect(b.store).toBe('s3');
      expect((await keysOf(b.id)).length).toBeGreaterThan(0);
      expect((await collect(store.read(b.id))).length).toBe(Number(b.length));
    }
    await sweep();
    for (const id of uploadIds) expect(await keysOf(id)).toEqual([]);

    // Retention deletes the record by SQL: its files' objects follow at the next sweep.
    const [record] = await recordsFor(app.pool, submissionId);
    await app.pool.query(`DELETE FROM records WHERE id = $1`, [record!.id]);
    await sweep();
    for (const b of rows) expect(await keysOf(b.id)).toEqual([]);
  });

  it('a byte flipped in a stored object → ATTACHMENT_TAMPERED, no record', async () => {
    const { submissionId, uploadIds } = await submit();
    const [key] = await keysOf(uploadIds[1]!);
    const get = await target.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    const data = await collect(get.Body as AsyncIterable<Buffer>);
    data[60] = (data[60] ?? 0) ^ 0xff;
    await target.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: data }));

    await expect(processSubmission(ctx, { submissionId })).rejects.toMatchObject({
      code: 'ATTACHMENT_TAMPERED',
    });
    expect(await submissionRow(app.pool, submissionId)).toMatchObject({
      status: 'failed',
      failure_code: 'ATTACHMENT_TAMPERED',
    });
    expect(await recordsFor(app.pool, submissionId)).toEqual([]);
  });

  it('an upload the submission never claimed → ATTACHMENT_INCOMPLETE', async () => {
    const { submissionId } = await submit({ claim: false });
    await expect(processSubmission(ctx, { submissionId })).rejects.toMatchObject({
      code: 'ATTACHMENT_INCOMPLETE',
    });
    expect(await recordsFor(app.pool, submissionId)).toEqual([]);
  });
});
