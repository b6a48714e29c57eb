import type { Queryable } from '../db';

// Reviewer login: one-time challenges and bearer sessions, both stored only as SHA-256 of the
// random value handed out, so a database read gives no usable nonce or token.

export type ChallengeState = 'ok' | 'unknown' | 'used' | 'expired' | 'not-bound';

/** What a challenge was issued for: the signing key asked about and the issuing listener. */
export interface ChallengeBinding {
  signPublicKey: Uint8Array;
  context: string;
}

export async function insertChallenge(
  db: Queryable,
  nonceHash: Uint8Array,
  binding: ChallengeBinding,
  ttlSeconds: number,
): Promise<void> {
  await db.query(
    `INSERT INTO auth_challenges (nonce_hash, sign_public_key, context, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
    [Buffer.from(nonceHash), Buffer.from(binding.signPublicKey), binding.context, ttlSeconds],
  );
}

/** Expired challenges and sessions are useless; drop them so the tables stay small. */
export async function purgeExpired(db: Queryable): Promise<void> {
  await db.query(`DELETE FROM auth_challenges WHERE expires_at < now() - interval '1 hour'`);
  await db.query(`DELETE FROM sessions WHERE expires_at < now() - interval '1 day'`);
}

/**
 * Marks the challenge used whatever happens next: one nonce, one attempt. 'not-bound' when it
 * was issued for another signing key or by another listener (and it is spent all the same).
 */
export async function consumeChallenge(
  tx: Queryable,
  nonceHash: Uint8Array,
  binding: ChallengeBinding,
): Promise<ChallengeState> {
  const { rows } = await tx.query<{ used: boolean; expired: boolean; bound: boolean }>(
    `SELECT used, expires_at <= now() AS expired, (sign_public_key = $2 AND context = $3) AS bound
       FROM auth_challenges WHERE nonce_hash = $1 FOR UPDATE`,
    [Buffer.from(nonceHash), Buffer.from(binding.signPublicKey), binding.context],
  );
  const row = rows[0];
  if (!row) return 'unknown';
  if (row.used) return 'used';
  await tx.query(`UPDATE auth_challenges SET used = true WHERE nonce_hash = $1`, [
    Buffer.from(nonceHash),
  ]);
  if (row.expired) return 'expired';
  return row.bound ? 'ok' : 'not-bound';
}

/** Returns the expiry as an ISO string (database clock). */
export async function insertSession(
  tx: Queryable,
  s: { tokenHash: Uint8Array; reviewerId: string; ttlSeconds: number },
): Promise<string> {
  const { rows } = await tx.query<{ expires_at: Date }>(
    `INSERT INTO sessions (token_hash, reviewer_id, expires_at)
     VALUES ($1, $2, now() + make_interval(secs => $3)) RETURNING expires_at`,
    [Buffer.from(s.tokenHash), s.reviewerId, s.ttlSeconds],
  );
  return rows[0]!.expires_at.toISOString();
}

export interface SessionLookup {
  reviewerId: string;
  role: 'reviewer' | 'admin';
  expired: boolean;
  sessionRevoked: boolean;
  reviewerRevoked: boolean;
}

export async function findSession(
  db: Queryable,
  tokenHash: Uint8Array,
): Promise<SessionLookup | null> {
  const { rows } = await db.query<{
    reviewer_id: string;
    role: 'reviewer' | 'admin';
    expired: boolean;
    revoked: boolean;
    reviewer_revoked: boolean;
  }>(
    `SELECT s.reviewer_id, r.role, s.expires_at <= now() AS expired, s.revoked,
            r.revoked_on IS NOT NULL AS reviewer_revoked
       FROM sessions s JOIN reviewers r ON r.id = s.reviewer_id
      WHERE s.token_hash = $1`,
    [Buffer.from(tokenHash)],
  );
  const r = rows[0];
  return r
    ? {
        reviewerId: r.reviewer_id,
        role: r.role,
        expired: r.expired,
        sessionRevoked: r.revoked,
        reviewerRevoked: r.reviewer_revoked,
      }
    : null;
}

export async function revokeSession(db: Queryable, tokenHash: Uint8Array): Promise<void> {
  await db.query(`UPDATE sessions SET revoked = true WHERE token_hash = $1`, [
    Buffer.from(tokenHash),
  ]);
}

/** Kept (revoked) rather than deleted so the holder's next request says REVIEWER_REVOKED. */
export async function revokeReviewerSessions(tx: Queryable, reviewerId: string): Promise<void> {
  await tx.query(`UPDATE sessions SET revoked = true WHERE reviewer_id = $1`, [reviewerId]);
}
