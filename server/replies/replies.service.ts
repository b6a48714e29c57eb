import type { Pool } from 'pg';
import {
  listRepliesToSource,
  type SealedReplyRow,
} from '../../core/repositories/source-reply.repository';
import { hashSourceToken } from '../../crypto';

/** A source's replies, still sealed, found by the hash of the token the source holds. */
export function createRepliesService(deps: { pool: Pool }) {
  return {
    sealedFor(sourceToken: Uint8Array): Promise<SealedReplyRow[]> {
      return listRepliesToSource(deps.pool, hashSourceToken(sourceToken));
    },
  };
}

export type RepliesService = ReturnType<typeof createRepliesService>;
