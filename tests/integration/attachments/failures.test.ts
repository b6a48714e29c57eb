import { silentLogger } from '../../../core/logger';
import { openStoredSubmission } from '../../support/stored-submission';
import { randomBytes } from '../../../crypto';
import { fileDepsFromConfig } from '../../../worker/attachments/file-deps';
import { prepareRecordFiles } from '../../../worker/attachments/prepare-files';
import { TRUST_DATABASE } from '../../../worker/enrolment-trust';
import type { JobContext } from '../../../worker/jobs/job-context';
import { parseManifest } from '../../../worker/manifest.schema';
import { processSubmission } from '../../../worker/jobs/process-submission.job';
import { stopExiftool } from '../../../worker/sanitise/exiftool';
import { startTestApp, type TestApp } from '../../support/app';
import { createTestKeys, directJobContext, type TestKeys } from '../../support/worker';
import { registerWorkerKeys } from '../../../worker/register-keys';
import { recordsFor, submissionRow } from '../worker/worker-fixtures';
import {
  blobCounts,
  enrol,
  submitWithFiles,
  unknownBinary,
  type TestFile,
} from './attachment-fixtures';

// What no retry can fix fails the submission with a code and no record (the manifest's
// ciphertext kept: it decrypted); what a retry or a racing job leaves behind is cleaned up.
// The handler runs directly here: each case decides exactly when it runs, and how often.

jest.setTimeout(60_000);

describe('attachments: broken uploads, retries and races', () => {
  let app: TestApp;
  let keys: TestKeys;
  let ctx: JobContext;
  const files: TestFile[] = [
    { name: 'a.txt', type: 'text/plain', data: Buffer.from('증언 첨부 파일입니다.\n') },
    { name: 'b.bin', type: 'application/octet-stream', data: unknownBinary('marker') },
  ];

  beforeAll(async () => {
    app = await startTestApp();
    keys = await createTestKeys();
    await registerWorkerKeys(app.pool, keys.keys, silentLogger);
    await enrol(app.pool, 'admin');
    ctx = directJobContext(
      app.pool,
      keys.keys,
      fileDepsFromConfig({ UPLOAD_CHUNK_BYTES: 65536 }, app.pool),
    );
  });

  afterAll(async () => {
    await app?.close();
    await stopExiftool();
  });

  const submit = (options?: Parameters<typeof submitWithFiles>[4]) =>
    submitWithFiles(app.url, keys.intake.publicKey, '첨부 파일과 함께 보냅니다.', files, options);

  async function expectFailed(submissionId: string, code: string): Promise<void> {
    await expect(processSubmission(ctx, { submissionId })).rejects.toMatchObject({ code });
    const row = await submissionRow(app.pool, submissionId);
    expect(row).toMatchObject({ status: 'failed', failure_code: code });
    expect(row!.manifest).not.toBeNull(); // it decrypted: kept for an operator
    expect(await recordsFor(app.pool, submissionId)).toEqual([]);
    expect(await blobCounts(app.pool, submissionId)).toEqual(['upload (unlinked): 2']);
    expect(await processSubmission(ctx, { submissionId })).toBe('already-failed');
  }

  it('a byte flipped in a stored chunk → ATTACHMENT_TAMPERED, no record', async () => {
    const { submissionId, uploadIds } = await submit();
    await app.pool.query(
      // Byte 60 inverted, or the chunk's last when a slowly arriving upload was committed in
      // smaller chunks (an overlay past the end appended a byte the reader never looks at).
      `UPDATE blob_chunks
          SET data = set_byte(data, LEAST(59, octet_length(data) - 1),
                              get_byte(data, LEAST(59, octet_length(data) - 1)) # 255)
        WHERE blob_id = $1 AND seq = 0`,
      [uploadIds[1]],
    );
    await expectFailed(submissionId, 'ATTACHMENT_TAMPERED');
  });

  it('a hash that does not match the manifest → ATTACHMENT_TAMPERED', async () => {
    const { submissionId } = await submit({ lie: (a) => ({ ...a, sha256: '0'.repeat(64) }) });
    await expectFailed(submissionId, 'ATTACHMENT_TAMPERED');
  });

  it('an upload the submission never claimed → ATTACHMENT_INCOMPLETE', async () => {
    const { submissionId } = await submit({ claim: false });
    await expect(processSubmission(ctx, { submissionId })).rejects.toMatchObject({
      code: 'ATTACHMENT_INCOMPLETE',
    });
    expect(await submissionRow(app.pool, submissionId)).toMatchObject({
      status: 'failed',
      failure_code: 'ATTACHMENT_INCOMPLETE',
    });
  });

  it('a size that does not fit the ciphertext → ATTACHMENT_INCOMPLETE', async () => {
    const { submissionId } = await submit({ lie: (a) => ({ ...a, size: a.size * 64 + 70_000 }) });
    await expect(processSubmission(ctx, { submissionId })).rejects.toMatchObject({
      code: 'ATTACHMENT_INCOMPLETE',
    });
  });

  it('an attempt killed after writing files, then the job run twice: one record, no orphans', async () => {
    const { submissionId } = await submit();
    // What a worker killed before its record's transaction leaves behind.
    const { contentKey, attachments } = await opened(submissionId);
    await prepareRecordFiles(
      {
        db: app.pool,
        trust: TRUST_DATABASE,
        deps: ctx.files!,
        submissionId,
        contentKey,
        recordKey: randomBytes(32),
      },
      attachments,
    );
    expect(await blobCounts(app.pool, submissionId)).toEqual([
      'original (unlinked): 1',
      'record-file (unlinked): 1',
      'upload (unlinked): 2',
    ]);
    expect(await processSubmission(ctx, { submissionId })).toBe('created');
    expect(await processSubmission(ctx, { submissionId })).toBe('already-done');
    expect(await recordsFor(app.pool, submissionId)).toHaveLength(1);
    expect(await blobCounts(app.pool, submissionId)).toEqual(['original: 1', 'record-file: 1']);
  });

  it('handlers racing on one submission: one record, and the losers leave nothing', async () => {
    const { submissionId } = await submit();
    const outcomes = await Promise.allSettled(
      [1, 2, 3].map(() => processSubmission(ctx, { submissionId })),
    );
    const created = outcomes.filter((o) => o.status === 'fulfilled' && o.value === 'created');
    expect(created).toHaveLength(1);
    // A loser whose blobs vanished under it failed for a retry; its retry finds the work done.
    for (const o of outcomes)
      if (o.status === 'rejected')
        expect(await processSubmission(ctx, { submissionId })).toBe('already-done');
    expect(await recordsFor(app.pool, submissionId)).toHaveLength(1);
    expect(await blobCounts(app.pool, submissionId)).toEqual(['original: 1', 'record-file: 1']);
  });

  // The worker's own view of a submission, for the simulated killed attempt above.
  async function opened(submissionId: string) {
    const { manifest, contentKey } = await openStoredSubmission(
      app.pool,
      submissionId,
      keys.intake,
    );
    return { contentKey, attachments: parseManifest(manifest)!.attachments ?? [] };
  }
});
