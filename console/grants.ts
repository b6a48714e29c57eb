import { fromBase64, toBase64, wrapRecordKey, type ReviewerKeys } from '../crypto';
import type { ApiClient } from './api-client';
import type { RecordDetail, ReviewerInfo } from './api-types';
import { recordPath, unwrapKey } from './records';

// Access for a reviewer enrolled after a record was made: the record key is unwrapped and
// re-sealed to their box key on this machine, so the server never holds it in the clear.

/** True when the grant is new, false when the reviewer could already read the record. */
export async function grantOne(
  api: ApiClient,
  keys: ReviewerKeys,
  reviewer: ReviewerInfo,
  id: string,
): Promise<boolean> {
  const detail = await api.get<RecordDetail>(recordPath(id));
  const recordKey = unwrapKey(detail, keys);
  const wrappedKey = toBase64(wrapRecordKey(recordKey, fromBase64(reviewer.boxPublicKey)));
  const res = await api.post<{ created: boolean }>(`${recordPath(id)}/grants`, {
    reviewerId: reviewer.id,
    wrappedKey,
  });
  return res.created;
}
