import type { ApiClient } from './api-client';
import type { ReviewerInfo } from './api-types';
import { ConsoleError } from './errors';

export async function listReviewers(
  api: ApiClient,
  path = '/v1/reviewers',
): Promise<ReviewerInfo[]> {
  const res = await api.get<{ reviewers: ReviewerInfo[] } | ReviewerInfo[]>(path);
  return Array.isArray(res) ? res : res.reviewers;
}

/** A reviewer by name or id; revoked reviewers are not found unless asked for. */
export async function findReviewer(
  api: ApiClient,
  nameOrId: string,
  includeRevoked = false,
): Promise<ReviewerInfo> {
  return pickReviewer(await listReviewers(api), nameOrId, includeRevoked);
}

/**
 * The one entry of `all` with this name or id. Names and ids are unique in the database, so a
 * directory naming one twice is not telling the truth: refused rather than guessed at.
 */
export function pickReviewer(
  all: readonly ReviewerInfo[],
  nameOrId: string,
  includeRevoked = false,
): ReviewerInfo {
  const matches = all.filter((x) => x.name === nameOrId || x.id === nameOrId);
  if (matches.length > 1)
    throw new ConsoleError('DIRECTORY_INCONSISTENT', `The server lists ${nameOrId} more than once`);
  const r = matches[0];
  if (!r || (!includeRevoked && r.revokedOn)) {
    throw new ConsoleError('REVIEWER_NOT_FOUND', `No active reviewer named ${nameOrId}`);
  }
  return r;
}
