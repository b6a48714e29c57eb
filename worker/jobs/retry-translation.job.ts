import { withTransaction } from '../../core/db';
import { appendCustodyEntry } from '../../core/repositories/custody.repository';
import {
  countPendingAttempt,
  deletePendingKey,
  findPendingTranslation,
  findRecordIdByPendingTicket,
  insertRecordEntry,
  markTranslated,
} from '../../core/repositories/record.repository';
import {
  decryptRecordBody,
  encryptEntry,
  isCryptoError,
  randomId,
  sha256Hex,
  unwrapRecordKey,
} from '../../crypto';
import { TranslationError } from '../translate';
import { JobFailure, PermanentJobFailure } from '../job-errors';
import type { RecordBodyV1, TranslationEntryV1 } from '../../core/record/record-body';
import { TARGET_LANGUAGE } from '../translate-testimony';
import type { JobContext, JobHandler, JobOutcome } from './job-context';

// A machine translation owed to a stored record, appended as an encrypted entry. The worker's
// sealed copy of the record key is dropped once translated, given up, or translation is off.

export const MAX_TRANSLATION_ATTEMPTS = 12;

/** The queue's entry: the job names the owed translation by its single-use ticket. */
export const retryTranslationJob: JobHandler<'retry-translation'> = async (ctx, { ticket }) => {
  const recordId = await findRecordIdByPendingTicket(ctx.db, ticket);
  if (!recordId) return 'nothing-owed';
  return retryTranslation(ctx, { recordId });
};

export const retryTranslation = async (
  ctx: JobContext,
  { recordId }: { recordId: string },
): Promise<JobOutcome> => {
  const pending = await findPendingTranslation(ctx.db, recordId);
  if (!pending) return 'nothing-owed';
  const giveUp = async (code: string): Promise<never> => {
    await withTransaction(ctx.db, (tx) => deletePendingKey(tx, recordId));
    throw new PermanentJobFailure(code);
  };
  if (!ctx.translator) return giveUp('TRANSLATOR_DISABLED');
  if (pending.attempts >= MAX_TRANSLATION_ATTEMPTS) return giveUp('TRANSLATION_GAVE_UP');
  await countPendingAttempt(ctx.db, recordId);

  let body: RecordBodyV1;
  let recordKey: Uint8Array;
  try {
    recordKey = unwrapRecordKey(pending.wrappedKey, ctx.keys.worker.box);
    body = decryptRecordBody<RecordBodyV1>(recordKey, recordId, pending.body);
  } catch (err) {
    if (!isCryptoError(err)) throw err;
    // Sealed to another worker key (or damaged): this copy can never be opened; drop it.
    return giveUp(err.code);
  }

  let entry: TranslationEntryV1;
  try {
    const r = await ctx.translator.translate(body.text, body.lang.code, TARGET_LANGUAGE);
    entry = {
      v: 1,
      kind: 'translation',
      text: r.text,
      engine: r.engine,
      engineVersion: r.engineVersion,
      source: r.source,
      target: r.target,
    };
  } catch (err) {
    if (!(err instanceof TranslationError)) throw err;
    if (err.retryable && pending.attempts + 1 < MAX_TRANSLATION_ATTEMPTS)
      throw new JobFailure(err.code);
    // The engine refuses for good (e.g. unsupported language), or never came back.
    return giveUp(err.retryable ? 'TRANSLATION_GAVE_UP' : err.code);
  }

  const entryId = randomId();
  const sealed = encryptEntry(recordKey, recordId, entryId, entry);
  const stored = await withTransaction(ctx.db, async (tx) => {
    // A concurrent run that got here first has already deleted the row: store nothing.
    if (!(await findPendingTranslation(tx, recordId, { lock: true }))) return false;
    await insertRecordEntry(tx, {
      id: entryId,
      recordId,
      kind: 'translation',
      body: sealed,
      authorId: null,
    });
    await markTranslated(tx, recordId);
    await deletePendingKey(tx, recordId);
    // Last: the custody lock is held to COMMIT (see appendCustodyEntry).
    await appendCustodyEntry(
      tx,
      {
        recordId,
        event: 'translation-added',
        payload: { entryId, entrySha256: sha256Hex(sealed) },
      },
      ctx.keys.worker.sign,
    );
    return true;
  });
  return stored ? 'translated' : 'duplicate';
};
