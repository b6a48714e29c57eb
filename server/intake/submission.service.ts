import type { Pool } from 'pg';
import { withTransaction, type Queryable } from '../../core/db';
import { AppError, E } from '../../core/errors';
import type { Logger } from '../../core/logger';
import {
  attachUploads,
  findInsertRefusal,
  findSubmissionState,
  insertSubmissionForAcceptingKey,
  listSubmissionsBySourceTokenHash,
  type NewSubmission,
  type SubmissionSummary,
} from '../../core/repositories/submission.repository';
import { newJobTicket } from '../../core/queue';
import { hashSourceToken } from '../../crypto';
import type { SubmissionInput } from './submissions.schema';
import { envelopeSha256 } from './envelope-hash';
import { createInsertBatcher } from './insert-batcher';
import {
  createBackgroundEnqueue,
  createBatchedMarker,
  type BatchedMarker,
  type Enqueuer,
} from './outbox';

export interface SubmissionServiceDeps {
  pool: Pool;
  /**
   * Where the insert batcher commits text submissions: a pool of their own, so that upload
   * chunk writes filling `pool` do not delay a 202 (server/main.ts). `pool` when not given.
   */
  insertPool?: Pool;
  producer: Enqueuer;
  log: Logger;
  /** Batches queued=true; pass one to stop() on shutdown, else the service makes its own. */
  queuedMarker?: BatchedMarker;
}

export interface Accepted {
  id: string;
  status: 'received';
}

/** accept()'s answer, and whether this request stored it (false: a resend of the same envelope). */
export interface AcceptOutcome {
  answer: Accepted;
  created: boolean;
}

/** A new row, or the one a resend of the same envelope found. */
type Stored =
  { created: true } | { created: false; status: string; queued: boolean; jobTicket: string | null };

/**
 * Inserts the row, or explains why not: an unknown or retired key (422), the same envelope
 * again (its stored state, so a resend gets the same answer) or another one under the id (409).
 */
async function store(
  db: Queryable,
  row: NewSubmission,
  insert: (row: NewSubmission) => Promise<boolean> = (r) => insertSubmissionForAcceptingKey(db, r),
): Promise<Stored> {
  // A second try only when neither refusal holds any more by the time it is looked up (a row
  // deleted or a key restored in between); then the insert can simply succeed.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await insert(row)) return { created: true };
    const { intakeKeyAccepting, existing } = await findInsertRefusal(db, row.id, row.intakeKeyId);
    if (!intakeKeyAccepting) {
      throw new AppError(E.UNKNOWN_INTAKE_KEY);
    }
    if (existing && !existing.envelopeSha256.equals(row.envelopeSha256)) {
      throw new AppError(E.SUBMISSION_ID_CONFLICT);
    }
    if (existing) return { created: false, ...existing };
  }
  throw new Error('submission neither inserted nor found');
}

const NO_UPLOADS: readonly string[] = [];

function envelopeHashOf(
  input: SubmissionInput,
  sourceTokenHash = input.sourceToken ? hashSourceToken(input.sourceToken) : null,
): Uint8Array {
  // The fields by name, not a spread of the input: this runs once per submission. The digest
  // stays as it comes; the repository passes it to pg as a view (submission.repository.ts).
  return envelopeSha256({
    id: input.id,
    intakeKeyId: input.intakeKeyId,
    sealedKey: input.sealedKey,
    manifest: input.manifest,
    sourceTokenHash,
    uploads: input.uploads ?? NO_UPLOADS,
  });
}

export function createSubmissionService(deps: SubmissionServiceDeps) {
  const marker = deps.queuedMarker ?? createBatchedMarker({ pool: deps.pool, log: deps.log });
  const background = createBackgroundEnqueue({ producer: deps.producer, marker, log: deps.log });
  // As many batches in flight as the intake's own pool has connections (INTAKE_POOL_SIZE).
  const batcher = createInsertBatcher(deps.insertPool ?? deps.pool, {
    maxWriters: deps.insertPool?.options.max ?? 2,
  });

  /**
   * Stores the ciphertext and answers only after COMMIT. Without uploads that is one
   * autocommitted statement; with uploads, one transaction that also claims them. A resend of
   * the same envelope (sources on Tor retry) gets the same answer, and `created: false`; a
   * different one under the same id is a conflict, never an overwrite.
   */
  async function acceptOnce(input: SubmissionInput): Promise<AcceptOutcome> {
    const sourceTokenHash = input.sourceToken ? hashSourceToken(input.sourceToken) : null;
    const uploads = input.uploads ?? NO_UPLOADS;
    const row: NewSubmission = {
      id: input.id,
      intakeKeyId: input.intakeKeyId,
      sealedKey: input.sealedKey,
      manifest: input.manifest,
      envelopeSha256: envelopeHashOf(input, sourceTokenHash),
      sourceTokenHash,
      jobTicket: newJobTicket(),
    };
    const stored =
      uploads.length === 0
        ? await store(deps.pool, row, batcher.insert)
        : await withTransaction(deps.pool, async (tx) => {
            const result = await store(tx, row);
            if (result.created && (await attachUploads(tx, row.id, uploads)) !== uploads.length) {
              throw new AppError(E.UNKNOWN_UPLOAD);
            }
            return result;
          });
    // Debug only: a line at rest carries a precise time (core/logger.ts, TESTIMONY_FIELDS).
    deps.log.debug('submission.received', { submissionId: input.id });
    const ticket = stored.created ? row.jobTicket : stored.jobTicket;
    // After the answer: a 202 means committed; a job left unqueued is the sweeper's.
    if (ticket && (stored.created || (!stored.queued && stored.status === 'received'))) {
      background.submit({ id: input.id, ticket });
    }
    return { answer: { id: input.id, status: 'received' }, created: stored.created };
  }

  return {
    acceptOnce,
    async accept(input: SubmissionInput): Promise<Accepted> {
      return (await acceptOnce(input)).answer;
    },

    /** Whether exactly this envelope (same id, same bytes) is already stored. */
    async isStoredResend(input: SubmissionInput): Promise<boolean> {
      const state = await findSubmissionState(deps.pool, input.id);
      return state !== null && state.envelopeSha256.equals(envelopeHashOf(input));
    },

    async listForSourceToken(token: Uint8Array): Promise<SubmissionSummary[]> {
      // Unknown tokens get an empty list, the same shape as a known token with no submissions.
      return listSubmissionsBySourceTokenHash(deps.pool, hashSourceToken(token));
    },

    /** Waits for the enqueues still on their way to Redis (tests, shutdown). */
    enqueuesSettled: (): Promise<void> => background.settled(),

    /** Waits for those enqueues, then writes pending queued=true flags now (tests). */
    async flushQueuedMarks(): Promise<void> {
      await background.settled();
      await marker.flush();
    },
  };
}

export type SubmissionService = ReturnType<typeof createSubmissionService>;
