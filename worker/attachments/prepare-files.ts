import { failSubmission } from '../../core/repositories/processing.repository';
import { listActiveReviewerRows } from '../../core/repositories/reviewer.repository';
import { recordFileKey } from '../../crypto';
import type { RecordFilesField } from '../build-record-body';
import { JobFailure, PermanentJobFailure } from '../job-errors';
import type { RecordFile } from '../../core/record/record-body';
import { JailUnavailable } from '../jail/jail';
import type { SandboxSession } from '../jail/sandbox.types';
import { SanitiseTmpError } from '../sanitise/tmp-dir';
import { sha256HexOf } from './blob-sink';
import { FileWriter, writeAll, type FilesToLink } from './file-writer';
import { AttachmentError, checkUpload, readPlaintext, type Attachment } from './open-attachment';
import { prepareLarge } from './prepare-large';
import type { PrepareJob } from './prepare-job';
import { recordReadings } from './file-readings';

// Every attachment of a submission before its record is stored: checked, decrypted, sanitised in
// this submission's jail, and written as encrypted blobs; anything not clean is held back.

export interface PreparedFiles {
  field: RecordFilesField;
  link: FilesToLink | null;
  /** Deletes what was written if the record was not stored (a duplicate, an error). */
  discard(): Promise<void>;
}

export const NO_FILES: PreparedFiles = {
  field: { files: [], originals: null },
  link: null,
  discard: async () => undefined,
};

/** Throws PermanentJobFailure (submission failed, ciphertext kept) for a broken attachment. */
export async function prepareRecordFiles(
  job: PrepareJob,
  attachments: readonly Attachment[],
): Promise<PreparedFiles> {
  if (attachments.length === 0) return NO_FILES;
  const writer = new FileWriter(job.deps, job.db, job.submissionId);
  try {
    // No admin to release a held-back original to: it is not kept (the record says so).
    const believed = job.trust.trusted(await listActiveReviewerRows(job.db));
    const keepHeldBack = believed.some((r) => r.role === 'admin');
    // Taking turns: WORKER_CONCURRENCY text jobs may be in flight, but only a few may each
    // hold a file's plaintext in memory.
    const files = await job.deps.slots.run(() =>
      job.deps.sandbox.session(async (jail) => {
        const out: RecordFile[] = [];
        for (const [i, a] of attachments.entries())
          out.push(await prepareOne(job, writer, jail, a, i + 1, keepHeldBack));
        return out;
      }),
    );
    const field: RecordFilesField = {
      files,
      originals: { custodian: job.deps.custodian !== null, count: writer.link.custodian.length },
    };
    return { field, link: writer.link, discard: () => writer.discard() };
  } catch (err) {
    await writer.discard().catch(() => undefined);
    // No tmpfs (unjailed) or no jail could start: nothing is wrong with the submission; retry.
    if (err instanceof SanitiseTmpError || err instanceof JailUnavailable)
      throw new JobFailure(err.code);
    if (!(err instanceof AttachmentError)) throw err;
    // The manifest decrypted: a testimony someone sent. Keep its ciphertext (and the uploads)
    // for an operator; the code says which way the attachment is broken, nothing more.
    await failSubmission(job.db, job.submissionId, err.code, { keepCiphertext: true });
    throw new PermanentJobFailure(err.code);
  }
}

async function prepareOne(
  job: PrepareJob,
  writer: FileWriter,
  jail: SandboxSession,
  a: Attachment,
  subkeyId: number,
  keepHeldBack: boolean,
): Promise<RecordFile> {
  const { deps } = job;
  await checkUpload(job.db, job.submissionId, a);
  // The source's file name is metadata too: phones write the capture time into it
  // (IMG_20240312_143522.jpg) and people write names into theirs. Reviewers get a neutral one.
  const name = `attachment-${subkeyId}`;
  const heldBack = (reason: string, fileId: string | null, report: RecordFile['report']) =>
    ({
      status: 'unsanitised',
      fileId,
      name,
      reason,
      size: a.size,
      sha256: a.sha256,
      report,
    }) as const;

  if (a.size > deps.sanitiseMaxBytes) {
    // Never held whole: cleaned as a stream if it is audio or video, else held back.
    return prepareLarge(job, writer, jail, { a, subkeyId, name, keepHeldBack }, heldBack);
  }

  const plain = await readPlaintext(deps.store, a, job.contentKey);
  try {
    const custodian = await writer.openCustodianCopy(a.size);
    if (custodian) await writeAll(custodian, plain);
    const result = await jail.sanitise(plain, { name: a.name, type: a.type });
    if (result.status !== 'clean') {
      const held = keepHeldBack ? await writer.openHeldBack(a.size) : null;
      if (held) await writeAll(held.sink, plain);
      return heldBack(result.reason, held?.id ?? null, result.report);
    }
    try {
      const sha256 = sha256HexOf(result.data);
      const key = recordFileKey(job.recordKey, subkeyId);
      const fileId = await writer.writeRecordFile(key, result.data);
      const { mime, extension, report } = result;
      return {
        status: 'clean',
        fileId,
        name: `${name}.${extension}`,
        mime,
        extension,
        size: result.data.length,
        sha256,
        subkeyId,
        report: { ...report, removed: [...report.removed, 'original file name'] },
        // A document's safe rendition (own blob) and OCR text, when the jail made them.
        ...(await recordReadings(writer, job.recordKey, subkeyId, result)),
      };
    } finally {
      result.data.fill(0);
    }
  } finally {
    plain.fill(0);
  }
}
