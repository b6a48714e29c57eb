import { insertReviewer } from '../../../core/repositories/reviewer.repository';
import {
  generateBoxKeyPair,
  generateSignKeyPair,
  initCrypto,
  randomId,
  signEnrolment,
} from '../../../crypto';
import { createEnrolmentTrust } from '../../../worker/enrolment-trust';
import { readRecordWhenDone } from '../worker/worker-fixtures';
import { blobCounts, submitWithFiles, unknownBinary } from './attachment-fixtures';
import { startAttachmentStack, type AttachmentStack } from './attachment-stack';

// With ENROLMENT_ROOTS set, an admin row nobody trusted certified is no admin: a held-back
// original is not kept for it (it could never be sealed to it), and the record is stored for
// the certified reviewers rather than waiting forever for an admin the worker will not believe.

jest.setTimeout(120_000);

describe('attachments: held-back originals and uncertified admins', () => {
  let stack: AttachmentStack | undefined;
  afterAll(async () => stack?.close());

  it('stores the record without the original when no admin is certified', async () => {
    await initCrypto();
    stack = await startAttachmentStack(); // enrols an admin row with no certificate
    const { app, keys } = stack;
    const root = generateSignKeyPair();
    keys.keys.enrolment = createEnrolmentTrust([root.publicKey]);
    const box = generateBoxKeyPair();
    const statement = {
      role: 'reviewer' as const,
      boxPublicKey: box.publicKey,
      signPublicKey: generateSignKeyPair().publicKey,
    };
    const reviewer = { id: randomId(), box };
    await insertReviewer(app.pool, {
      id: reviewer.id,
      name: 'certified-reviewer',
      ...statement,
      certificate: signEnrolment(statement, root),
    });

    const { submissionId } = await submitWithFiles(app.url, keys.intake.publicKey, '보류', [
      { name: 'data.bin', type: '', data: unknownBinary('uncertified-admin') },
    ]);
    const { body } = await readRecordWhenDone(app.pool, submissionId, reviewer);
    expect(body.files).toEqual([expect.objectContaining({ status: 'unsanitised', fileId: null })]);
    expect(await blobCounts(app.pool, submissionId)).toEqual([]);
  });
});
