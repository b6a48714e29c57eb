import { recordFileKey } from '../../crypto';
import type { RecordFile } from '../../core/record/record-body';
import type { SandboxSession } from '../jail/sandbox.types';
import type { FileSanitiseReport } from '../sanitise/types';
import { detectionLength, streamableFormat, type ByteSink } from '../sanitise/media';
import type { FileWriter } from './file-writer';
import { plaintextPass, readHead, streamPlaintext, type Attachment } from './open-attachment';
import type { PrepareJob } from './prepare-job';

// An attachment over SANITISE_MAX_BYTES, never held whole: native-remuxable audio and video is
// cleaned as a stream; anything else is held back, streamed into its admin-sealed original.

export type HeldBack = (
  reason: string,
  fileId: string | null,
  report: FileSanitiseReport | null,
) => RecordFile;

export async function prepareLarge(
  job: PrepareJob,
  writer: FileWriter,
  jail: SandboxSession,
  file: { a: Attachment; subkeyId: number; name: string; keepHeldBack: boolean },
  heldBack: HeldBack,
): Promise<RecordFile> {
  const { a, subkeyId } = file;
  const { store } = job.deps;
  const head = await readHead(store, a, job.contentKey, detectionLength);
  const format = streamableFormat(head);
  head.fill(0);
  const custodian = await writer.openCustodianCopy(a.size);
  const holdBack = async (reason: string, report: FileSanitiseReport | null, also: ByteSink[]) => {
    const held = file.keepHeldBack ? await writer.openHeldBack(a.size) : null;
    const sinks = [held?.sink, ...also].filter((s) => s != null);
    if (sinks.length > 0) await streamPlaintext(store, a, job.contentKey, sinks);
    return heldBack(reason, held?.id ?? null, report);
  };
  if (format === null) return holdBack('TOO_LARGE_TO_SANITISE', null, custodian ? [custodian] : []);

  const media = jail.stream(format, a.size);
  const firstPass = [media.firstPass, ...(custodian ? [custodian] : [])];
  await streamPlaintext(store, a, job.contentKey, firstPass);
  const opened: { id?: string } = {};
  const result = await media.finish(
    () => plaintextPass(store, a, job.contentKey),
    async (size) => {
      const out = await writer.openRecordFile(recordFileKey(job.recordKey, subkeyId), size);
      opened.id = out.id;
      return out.sink;
    },
  );
  if (result.status !== 'clean') {
    if (opened.id) await writer.drop(opened.id);
    return holdBack(result.reason, result.report, []);
  }
  const { mime, extension, size, sha256, report } = result;
  return {
    status: 'clean',
    fileId: opened.id!,
    name: `${file.name}.${extension}`,
    mime,
    extension,
    size,
    sha256,
    subkeyId,
    report: { ...report, removed: [...report.removed, 'original file name'] },
  };
}
