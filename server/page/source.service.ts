import type { Pool } from 'pg';
import type { SubmissionSummary } from '../../core/repositories/submission.repository';
import { deriveSourceKeys, isCryptoError, openReply, type SourceKeys } from '../../crypto';
import type { SubmissionService } from '../intake/submission.service';
import { listRepliesToSource } from '../../core/repositories/source-reply.repository';

// Coming back without JavaScript: the receipt derives the source's keys here, in memory, for
// one request (withSourceKeys wipes them after); the status is the query behind POST
// /v1/submissions/status and replies are opened with the derived key.

export interface OpenedReply {
  receivedOn: string;
  /** null when the reply could not be opened: shown as such, never silently dropped. */
  text: string | null;
}

export interface SourceView {
  submissions: SubmissionSummary[];
  replies: OpenedReply[];
}

function replyText(message: unknown): string | null {
  const text = (message as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text : null;
}

/** Argon2id over the receipt (CRYPTO_BAD_RECEIPT if it is not 20 digits), then wiped. */
export async function withSourceKeys<T>(
  receipt: string,
  use: (keys: SourceKeys) => Promise<T>,
): Promise<T> {
  const keys = deriveSourceKeys(receipt);
  try {
    return await use(keys);
  } finally {
    keys.keyPair.secretKey.fill(0);
    keys.token.fill(0);
  }
}

export function createSourceService(deps: { pool: Pool; submissions: SubmissionService }) {
  return {
    async view(keys: SourceKeys): Promise<SourceView> {
      const submissions = await deps.submissions.listForSourceToken(keys.token);
      const rows = await listRepliesToSource(deps.pool, keys.tokenHash);
      const replies = rows.map((row): OpenedReply => {
        try {
          return {
            receivedOn: row.createdOn,
            text: replyText(openReply(row.sealed, keys.keyPair)),
          };
        } catch (err) {
          if (!isCryptoError(err)) throw err;
          return { receivedOn: row.createdOn, text: null };
        }
      });
      return { submissions, replies };
    },

    /** A reply under a mistyped receipt would start a case its author can never find. */
    async known(keys: SourceKeys): Promise<boolean> {
      return (await deps.submissions.listForSourceToken(keys.token)).length > 0;
    },
  };
}

export type SourceService = ReturnType<typeof createSourceService>;
