import type { Pool } from 'pg';
import { withTransaction } from '../../../core/db';
import { AppError, E } from '../../../core/errors';
import { insertAudit } from '../../../core/repositories/audit.repository';
import {
  findReviewerById,
  findReviewerBySignKey,
  type Role,
} from '../../../core/repositories/admin.repository';
import {
  consumeChallenge,
  findSession,
  insertChallenge,
  insertSession,
  purgeExpired,
  revokeSession,
} from '../../../core/repositories/session.repository';
import { randomBytes, sha256, toBase64, verifyChallenge, type Bytes } from '../../../crypto';
import { reviewerView } from '../reviewer-view';

// Login without passwords: the server hands out a random nonce, the reviewer signs
// LOGIN_CONTEXT || nonce with the Ed25519 key only their console holds. Nonces and tokens are
// stored as SHA-256 only, so a database read yields nothing that logs anyone in.

export const CHALLENGE_TTL_SECONDS = 60;
/**
 * The listener a challenge is issued by and good for. A nonce is bound to it and to the signing
 * key it was asked for: one asked for reviewer A's key never logs in B, and one issued elsewhere
 * (another service sharing the database) never logs in here.
 */
export const REVIEW_LOGIN_CONTEXT = 'review-api';
const NONCE_BYTES = 32;
const TOKEN_BYTES = 32;

export interface Caller {
  reviewerId: string;
  role: Role;
  tokenHash: Bytes;
}

export interface LoginInput {
  signPublicKey: Bytes;
  nonce: Bytes;
  signature: Bytes;
}

export function createAuthService(deps: {
  pool: Pool;
  sessionTtlSeconds: number;
  /** Defaults to REVIEW_LOGIN_CONTEXT. */
  context?: string;
}) {
  const { pool } = deps;
  const context = deps.context ?? REVIEW_LOGIN_CONTEXT;

  async function challenge(
    signPublicKey: Bytes,
  ): Promise<{ nonce: string; expiresInSeconds: number }> {
    const nonce = randomBytes(NONCE_BYTES);
    await purgeExpired(pool);
    await insertChallenge(pool, sha256(nonce), { signPublicKey, context }, CHALLENGE_TTL_SECONDS);
    return { nonce: toBase64(nonce), expiresInSeconds: CHALLENGE_TTL_SECONDS };
  }

  async function login(input: LoginInput) {
    // The challenge is spent by any attempt, so each nonce gets exactly one try; a refusal is
    // thrown only after that commit.
    const outcome = await withTransaction(pool, async (tx) => {
      const binding = { signPublicKey: input.signPublicKey, context };
      const state = await consumeChallenge(tx, sha256(input.nonce), binding);
      if (state !== 'ok')
        return {
          refused: new AppError(E.CHALLENGE_INVALID),
        };
      const reviewer = await findReviewerBySignKey(tx, input.signPublicKey);
      if (!reviewer || !verifyChallenge(input.signature, input.nonce, input.signPublicKey)) {
        return { refused: new AppError(E.AUTH_FAILED) };
      }
      // Told only to the holder of the key: the signature proved it.
      if (reviewer.revokedOn) return { refused: new AppError(E.REVIEWER_REVOKED) };
      const token = randomBytes(TOKEN_BYTES);
      const expiresAt = await insertSession(tx, {
        tokenHash: sha256(token),
        reviewerId: reviewer.id,
        ttlSeconds: deps.sessionTtlSeconds,
      });
      await insertAudit(tx, { reviewerId: reviewer.id, action: 'auth.login' });
      return {
        session: {
          token: toBase64(token),
          expiresAt,
          reviewer: { id: reviewer.id, name: reviewer.name, role: reviewer.role },
        },
      };
    });
    if ('refused' in outcome) throw outcome.refused as AppError;
    return outcome.session;
  }

  async function authenticate(token: Bytes): Promise<Caller> {
    const tokenHash = sha256(token);
    const s = await findSession(pool, tokenHash);
    if (!s) throw new AppError(E.SESSION_INVALID);
    if (s.expired) throw new AppError(E.SESSION_EXPIRED);
    if (s.reviewerRevoked) throw new AppError(E.REVIEWER_REVOKED);
    if (s.sessionRevoked) throw new AppError(E.SESSION_INVALID);
    return { reviewerId: s.reviewerId, role: s.role, tokenHash };
  }

  async function logout(caller: Caller): Promise<void> {
    await withTransaction(pool, async (tx) => {
      await revokeSession(tx, caller.tokenHash);
      await insertAudit(tx, { reviewerId: caller.reviewerId, action: 'auth.logout' });
    });
  }

  async function me(caller: Caller) {
    const r = await findReviewerById(pool, caller.reviewerId);
    if (!r) throw new AppError(E.SESSION_INVALID);
    return reviewerView(r);
  }

  return { challenge, login, authenticate, logout, me };
}

export type AuthService = ReturnType<typeof createAuthService>;
