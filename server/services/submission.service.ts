import type { Pool } from 'pg';
import { withTransaction } from '../../core/db';
import { conflict, unprocessable } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { isIntakeKeyAccepting } from '../../core/repositories/intake-key.repository';
import {
  attachUploads,
  findSubmissionState,
  insertSubmission,
  listSubmissionsBySourceTokenHash,
  type SubmissionSummary,
} from '../../core/repositories/submission.repository';
import { hashSourceToken } from '../../crypto';
import type { SubmissionInput } from '../routes/submissions/submissions.schema';
import { envelopeSha256 } from './envelope-hash';
import { queueSubmission, type Enqueuer } from './outbox';

export interface SubmissionServiceDeps {
  pool: Pool;
  producer: Enqueuer;
  log: Logger;
}

export interface Accepted {
  id: string;
  status: 'received';
}

export function createSubmissionService(deps: SubmissionServiceDeps) {
  return {
    /**
     * Stores the ciphertext in one transaction and answers only after COMMIT. A resend of the
     * same envelope (sources on Tor retry) gets the same answer; a different one under the same
     * id is a conflict, never an overwrite.
     */
    async accept(input: SubmissionInput): Promise<Accepted> {
      const sourceTokenHash = input.sourceToken ? hashSourceToken(input.sourceToken) : null;
      const uploads = input.uploads ?? [];
      const hash = envelopeSha256({ ...input, sourceTokenHash, uploads });
      const state = await withTransaction(deps.pool, async (tx) => {
        if (!(await isIntakeKeyAccepting(tx, input.intakeKeyId))) {
          throw unprocessable('UNKNOWN_INTAKE_KEY', 'Intake key is unknown or retired');
        }
        const row = {
          id: input.id,
          intakeKeyId: input.intakeKeyId,
          sealedKey: input.sealedKey,
          manifest: input.manifest,
          envelopeSha256: hash,
          sourceTokenHash,
        };
        if (await insertSubmission(tx, row)) {
          if ((await attachUploads(tx, input.id, uploads)) !== uploads.length) {
            throw unprocessable('UNKNOWN_UPLOAD', 'An upload is unknown or incomplete');
          }
          return { queued: false, status: 'received' as const };
        }
        const existing = await findSubmissionState(tx, input.id);
        if (!existing || !existing.envelopeSha256.equals(Buffer.from(hash))) {
          throw conflict('SUBMISSION_ID_CONFLICT', 'This id was used for a different submission');
        }
        return existing;
      });
      deps.log.info('submission.received', { submissionId: input.id });
      if (!state.queued && state.status === 'received') await queueSubmission(deps, input.id);
      return { id: input.id, status: 'received' };
    },

    async listForSourceToken(token: Uint8Array): Promise<SubmissionSummary[]> {
      // Unknown tokens get an empty list, the same shape as a known token with no submissions.
      return listSubmissionsBySourceTokenHash(deps.pool, hashSourceToken(token));
    },
  };
}

export type SubmissionService = ReturnType<typeof createSubmissionService>;
