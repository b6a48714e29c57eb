import {
  decryptRecordBody,
  encryptEntry,
  fromBase64,
  initCrypto,
  randomId,
  sealToSource,
  toBase64,
  type ReviewerKeys,
} from '../crypto';
import type { RecordBodyV1 } from '../core/record/record-body';
import type { ApiClient } from './api-client';
import type { RecordDetail } from './api-types';
import type { EntryContent } from './entries';
import { ConsoleError } from './errors';
import { recordPath, unwrapKey } from './records';

// A reply is sealed to the public key the source derived from its receipt: only the receipt
// opens it. Reviewers keep their own copy as an entry under the record key.

export async function replyToSource(
  api: ApiClient,
  keys: ReviewerKeys,
  id: string,
  message: string,
): Promise<{ replyId: string }> {
  if (message.trim() === '') throw new ConsoleError('REPLY_EMPTY', 'The reply is empty');
  await initCrypto();
  const detail = await api.get<RecordDetail>(recordPath(id));
  const recordKey = unwrapKey(detail, keys);
  const body = decryptRecordBody<RecordBodyV1>(recordKey, detail.id, fromBase64(detail.body));
  if (!body.sourcePublicKey) {
    throw new ConsoleError(
      'SOURCE_KEY_MISSING',
      `The source of ${id} left no key to reply to (it was sent without a receipt)`,
    );
  }
  const replyId = randomId();
  const toSource = toBase64(
    sealToSource(fromBase64(body.sourcePublicKey), { v: 1, text: message }),
  );
  const copy: EntryContent = { v: 1, kind: 'reply', text: message };
  const entry = toBase64(encryptEntry(recordKey, detail.id, replyId, copy));
  await api.post(`${recordPath(id)}/replies`, { id: replyId, toSource, entry });
  return { replyId };
}
