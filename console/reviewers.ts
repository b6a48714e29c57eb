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
  const all = await listReviewers(api);
  const r = all.find((x) => x.name === nameOrId || x.id === nameOrId);
  if (!r || (!includeRevoked && r.revokedOn)) {
    throw new ConsoleError('REVIEWER_NOT_FOUND', `No active reviewer named ${nameOrId}`);
  }
  return r;
}
