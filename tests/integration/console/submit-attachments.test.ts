import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { openStoredSubmission } from '../../support/stored-submission';
import { join } from 'node:path';
import { createPostgresBlobStore } from '../../../core/blob-store';
import {
  attachmentKey,
  createDecryptStream,
  initCrypto,
  sha256Hex,
  type BoxKeyPair,
} from '../../../crypto';
import { makeJpeg } from '../../fixtures/make-image';
import { insertTestIntakeKey, startTestApp, type TestApp } from '../../support/app';
import { collect, testBytes } from '../uploads/tus-fixtures';
import { cleanup, ok, soriUser, tempDir, type SoriUser } from './console-harness';

// `sori submit --attach`: each file is encrypted under attachmentKey(K, n) and uploaded over tus
// (no Upload-Metadata: the server would refuse it), and the manifest sealed with that same K
// lists it. No worker runs here, so the stored upload is still there to be opened as it would.

jest.setTimeout(120_000);

describe('sori submit --attach', () => {
  let app: TestApp;
  let intake: { id: string; keyPair: BoxKeyPair };
  let user: SoriUser;
  let work: string;

  beforeAll(async () => {
    await initCrypto();
    app = await startTestApp({ env: { UPLOAD_CHUNK_BYTES: '65536' } });
    intake = await insertTestIntakeKey(app.pool);
    user = soriUser(null, 'unused');
    work = tempDir('sori-attach-');
  });
  afterAll(async () => {
    await app?.close();
    cleanup([user?.home, work].filter(Boolean) as string[]);
  });

  /** The manifest as the worker opens it, from the row the intake stored. */
  const opened = (submissionId: string) =>
    openStoredSubmission(app.pool, submissionId, intake.keyPair);

  it('uploads each file encrypted; the stored upload decrypts to the file', async () => {
    writeFileSync(join(work, 'interview.txt'), '사진 두 장입니다.\n');
    const photo = (await makeJpeg(work)).path;
    const big = join(work, 'recording.m4a');
    writeFileSync(big, testBytes(9 * 1024 * 1024 + 123)); // more than one 8 MiB PATCH
    const run = await ok(
      user,
      [
        '--json',
        'submit',
        '--text',
        join(work, 'interview.txt'),
        '--attach',
        photo,
        '--attach',
        big,
      ],
      { SORI_INTAKE: app.url },
    );
    const out = run.json<{ id: string; attachments: number }>();
    expect(out.attachments).toBe(2);

    const { manifest, contentKey } = await opened(out.id);
    expect(manifest.attachments).toEqual([
      expect.objectContaining({ name: 'planted.jpg', type: 'image/jpeg', subkeyId: 1 }),
      expect.objectContaining({ name: 'recording.m4a', type: 'audio/mp4', subkeyId: 2 }),
    ]);
    const store = createPostgresBlobStore(app.pool, { chunkBytes: 65536 });
    for (const [a, path] of [
      [manifest.attachments![0]!, photo],
      [manifest.attachments![1]!, big],
    ] as const) {
      const original = readFileSync(path);
      expect([a.size, a.sha256]).toEqual([original.length, sha256Hex(original)]);
      const { rows } = await app.pool.query(
        `SELECT kind, complete, submission_id FROM blobs WHERE id = $1`,
        [a.uploadId],
      );
      expect(rows[0]).toEqual({ kind: 'upload', complete: true, submission_id: out.id });
      const key = attachmentKey(contentKey, a.subkeyId);
      const plain = await collect(store.read(a.uploadId).pipe(createDecryptStream(key)));
      expect(plain.equals(original)).toBe(true);
    }
  });

  it('refuses a missing attachment before uploading anything', async () => {
    const before = await app.pool.query(`SELECT count(*)::int AS n FROM blobs`);
    const r = await user.run(
      ['submit', '--text', join(work, 'interview.txt'), '--attach', join(work, 'nope.jpg')],
      { SORI_INTAKE: app.url },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nope\.jpg is not a readable file\. \(ATTACHMENT_NOT_FOUND\)\n$/);
    const after = await app.pool.query(`SELECT count(*)::int AS n FROM blobs`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('batch mode sends NAME.LABEL.EXT files with NAME.txt', async () => {
    const dir = join(work, 'batch');
    mkdirSync(dir);
    writeFileSync(join(dir, 'interview-01.txt'), '첫 번째\n');
    writeFileSync(join(dir, 'interview-01.1.jpg'), readFileSync(join(work, 'planted.jpg')));
    writeFileSync(join(dir, 'interview-01.notes.txt'), 'notes\n');
    writeFileSync(join(dir, 'interview-02.txt'), '두 번째\n');
    const run = await ok(user, ['--json', 'submit', '--batch', dir], { SORI_INTAKE: app.url });
    const out = run.json<{ submitted: Array<{ interview: string; id: string }> }>();
    expect(out.submitted.map((s) => s.interview)).toEqual(['interview-01', 'interview-02']);
    const first = await opened(out.submitted[0]!.id);
    expect(first.manifest.attachments?.map((a) => a.name)).toEqual([
      'interview-01.1.jpg',
      'interview-01.notes.txt',
    ]);
    expect((await opened(out.submitted[1]!.id)).manifest.attachments).toBeUndefined();
  });
});
