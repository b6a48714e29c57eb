import {
  findSubmissionIdByTicket,
  findSubmissionState,
} from '../../core/repositories/submission.repository';
import { newJobTicket } from '../../core/queue';
import { claimBatcherFor } from '../claim-batcher';
import { deleteUnlinkedFiles } from '../../core/repositories/record-file.repository';
import {
  claimSubmission,
  failSubmission,
  type ClaimedSubmission,
} from '../../core/repositories/processing.repository';
import {
  findPendingTranslation,
  findRecordIdBySubmission,
} from '../../core/repositories/record.repository';
import {
  encryptRecordBody,
  isCryptoError,
  newRecordKey,
  openStoredSubmission,
  randomId,
  sha256,
  wrapRecordKey,
} from '../../crypto';
import { DEFAULT_SANITISE_MAX_BYTES, fileDepsFromConfig } from '../attachments/file-deps';
import { defaultSandbox } from '../jail/sandbox';
import { prepareRecordFiles, type PreparedFiles } from '../attachments/prepare-files';
import { buildRecordDraft, translationField } from '../build-record-body';
import type { RecordBodyV1 } from '../../core/record/record-body';
import { parseManifest, type Manifest } from '../manifest.schema';
import { JobFailure, PermanentJobFailure } from '../job-errors';
import { recordStoreFor } from '../record-store';
import { translateTestimony } from '../translate-testimony';
import { translateFileTexts } from '../translate-file-texts';
import type { JobContext, JobHandler, JobOutcome } from './job-context';

// decrypt → validate → files → sanitise → detect → translate → encrypt to reviewers → store
// once. Plaintext exists only in this function's locals; what leaves it is ciphertext, hashes, ids.

/**
 * The queue's entry: the job names its submission by a single-use ticket (core/queue.ts). A
 * ticket no row holds any more belongs to a submission already done or failed (the ticket is
 * cleared with the status), or to nothing: either way there is nothing to do.
 */
export const processSubmissionJob: JobHandler<'process-submission'> = async (ctx, { ticket }) => {
  // Claimed by ticket, with the other jobs starting now (worker/claim-batcher.ts).
  const claimed = await claimBatcherFor(ctx.db).claim(ticket);
  if (claimed) return processClaimed(ctx, claimed);
  const submissionId = await findSubmissionIdByTicket(ctx.db, ticket);
  if (!submissionId) return 'ticket-spent';
  return processSubmission(ctx, { submissionId });
};

export const processSubmission = async (
  ctx: JobContext,
  { submissionId }: { submissionId: string },
): Promise<JobOutcome> => {
  const claimed = await claimSubmission(ctx.db, submissionId);
  if (!claimed) return settled(ctx, submissionId);
  return processClaimed(ctx, claimed);
};

async function processClaimed(ctx: JobContext, claimed: ClaimedSubmission): Promise<JobOutcome> {
  const submissionId = claimed.id;
  const { manifest, contentKey } = await openManifest(ctx, claimed);
  const recordId = randomId();
  const recordKey = newRecordKey();
  const files = await prepareRecordFiles(
    {
      db: ctx.db,
      trust: ctx.keys.enrolment,
      deps: ctx.files ?? fileDepsFromConfig({}, ctx.db, defaultSandbox(DEFAULT_SANITISE_MAX_BYTES)),
      submissionId,
      contentKey,
      recordKey,
    },
    manifest.attachments ?? [],
  );
  try {
    const outcome = await storeRecord(ctx, claimed, manifest, files, { recordId, recordKey });
    if (outcome === 'duplicate') await files.discard();
    return outcome;
  } catch (err) {
    await files.discard().catch(() => undefined);
    throw err;
  }
}

async function storeRecord(
  ctx: JobContext,
  claimed: ClaimedSubmission,
  manifest: Manifest,
  files: PreparedFiles,
  { recordId, recordKey }: { recordId: string; recordKey: Uint8Array },
): Promise<JobOutcome> {
  const submissionId = claimed.id;
  // Text read from photos of paper is translated with the testimony (translate-file-texts.ts).
  const fileTexts = await translateFileTexts(ctx.translator, files.field.files);
  const draft = buildRecordDraft(claimed, manifest, { ...files.field, files: fileTexts });
  const outcome = await translateTestimony(ctx.translator, draft.text, draft.lang.code);
  const body: RecordBodyV1 = { ...draft, translation: translationField(outcome) };
  const owed = outcome.kind === 'not-translated' && outcome.owed;
  const pendingTicket = owed ? newJobTicket() : null;

  const sealedBody = encryptRecordBody(recordKey, recordId, body);
  const bodySha256 = sha256(sealedBody);

  // Stored in one transaction (with other jobs' records when they are ready at once).
  const stored = await recordStoreFor(ctx.db, ctx.keys.worker.sign, ctx.keys.enrolment).store({
    record: {
      id: recordId,
      submissionId,
      body: sealedBody,
      bodySha256,
      receivedOn: claimed.receivedOn,
      language: body.lang.code,
      translated: outcome.kind === 'translated',
    },
    recordKey,
    pendingKey: owed ? wrapRecordKey(recordKey, ctx.keys.worker.box.publicKey) : null,
    pendingTicket,
    envelopeSha256: claimed.envelopeSha256,
    files: files.link,
  });
  if (stored === 'duplicate') return 'duplicate';
  if (pendingTicket) await enqueueTranslation(ctx, pendingTicket);
  return owed ? 'created-untranslated' : 'created';
}

/** Nothing to claim: done or failed before (a duplicate or redelivered job), or unknown. */
async function settled(ctx: JobContext, submissionId: string): Promise<JobOutcome> {
  const state = await findSubmissionState(ctx.db, submissionId);
  if (!state) throw new PermanentJobFailure('SUBMISSION_NOT_FOUND');
  // Files an attempt wrote before it lost (killed, or beaten by another job) go now.
  await deleteUnlinkedFiles(ctx.db, submissionId);
  if (state.status === 'failed') return 'already-failed';
  // A job that died between commit and enqueue left a translation owed with no job for it.
  const recordId = await findRecordIdBySubmission(ctx.db, submissionId);
  const owed = recordId ? await findPendingTranslation(ctx.db, recordId) : null;
  if (owed) await enqueueTranslation(ctx, owed.ticket);
  return 'already-done';
}

async function openManifest(
  ctx: JobContext,
  s: ClaimedSubmission,
): Promise<{ manifest: Manifest; contentKey: Uint8Array }> {
  const intake = ctx.keys.intakeById.get(s.intakeKeyId);
  // A configuration problem, not the submission's: keep the ciphertext and retry.
  if (!intake) throw new JobFailure('INTAKE_KEY_UNAVAILABLE');
  let opened: { manifest: unknown; contentKey: Uint8Array };
  try {
    opened = openStoredSubmission(s, intake.keyPair);
  } catch (err) {
    if (!isCryptoError(err)) throw err;
    // With the right key, a failure means tampered or corrupt bytes: no retry can open them.
    // CRYPTO_BAD_FORMAT is different: it authenticated, so someone sent it; keep it.
    await failSubmission(ctx.db, s.id, err.code, {
      keepCiphertext: err.code === 'CRYPTO_BAD_FORMAT',
    });
    throw new PermanentJobFailure(err.code);
  }
  const manifest = parseManifest(opened.manifest);
  if (!manifest) {
    // It decrypted, so it is a testimony someone sent: keep the ciphertext for an operator to
    // reprocess once the client or worker is fixed, and say why without saying what.
    await failSubmission(ctx.db, s.id, 'MANIFEST_INVALID', { keepCiphertext: true });
    throw new PermanentJobFailure('MANIFEST_INVALID');
  }
  return { manifest, contentKey: opened.contentKey };
}

async function enqueueTranslation(ctx: JobContext, ticket: string): Promise<void> {
  try {
    await ctx.enqueue('retry-translation', { ticket }, ctx.translateRetryMs);
  } catch (err) {
    // The record is stored; the owed translation is found again at the next worker start.
    ctx.log.warn('translation.enqueue_failed', {
      code: err instanceof Error ? err.name : 'Error',
    });
  }
}
