import {
  decryptEntry,
  decryptRecordBody,
  encryptEntry,
  fromBase64,
  isCryptoError,
  randomId,
  toBase64,
  unwrapRecordKey,
  type ReviewerKeys,
} from '../crypto';
import type { RecordBodyV1 } from '../core/record/record-body';
import type { ApiClient } from './api-client';
import type { EntryKind, EntryWire, RecordDetail } from './api-types';
import type { EntryContent } from './entries';
import { ConsoleError } from './errors';

// Fetch a record and open it locally: unwrap the record key with the reviewer's box key, then
// the body and every entry. A failed decryption is an error with a code, never an empty value.

export interface OpenedEntry extends Omit<EntryWire, 'body'> {
  content: EntryContent;
  /** The ciphertext as stored, so exports can be checked against the custody log. */
  sealed: string;
}

export interface OpenedRecord {
  detail: RecordDetail;
  recordKey: Uint8Array;
  body: RecordBodyV1;
  entries: OpenedEntry[];
}

export const recordPath = (id: string): string => `/v1/records/${encodeURIComponent(id)}`;

export async function openRecord(
  api: ApiClient,
  keys: ReviewerKeys,
  id: string,
): Promise<OpenedRecord> {
  return openDetail(await api.get<RecordDetail>(recordPath(id)), keys);
}

/** A record as the API sent it (alone, or in a listing with include=full), opened here. */
export function openDetail(detail: RecordDetail, keys: ReviewerKeys): OpenedRecord {
  const id = detail.id;
  const recordKey = unwrapKey(detail, keys);
  let body: RecordBodyV1;
  try {
    body = decryptRecordBody<RecordBodyV1>(recordKey, detail.id, fromBase64(detail.body));
  } catch (err) {
    if (!isCryptoError(err)) throw err;
    throw new ConsoleError(
      'RECORD_DECRYPT_FAILED',
      `The body of record ${id} does not decrypt (${err.code})`,
    );
  }
  const entries = detail.entries.map((e) => openEntry(recordKey, detail.id, e));
  return { detail, recordKey, body, entries };
}

function openEntry(recordKey: Uint8Array, recordId: string, e: EntryWire): OpenedEntry {
  const { body, ...meta } = e;
  try {
    const content = decryptEntry<EntryContent>(recordKey, recordId, e.id, fromBase64(body));
    return { ...meta, content, sealed: body };
  } catch (err) {
    if (!isCryptoError(err)) throw err;
    throw new ConsoleError(
      'ENTRY_DECRYPT_FAILED',
      `Entry ${e.id} of record ${recordId} does not decrypt (${err.code})`,
    );
  }
}

/** Encrypts an entry under the record key and appends it; returns the new entry's id. */
export async function appendEntry(
  api: ApiClient,
  keys: ReviewerKeys,
  recordId: string,
  content: EntryContent,
  extra: { status?: string } = {},
): Promise<{ id: string; kind: EntryKind }> {
  const detail = await api.get<RecordDetail>(recordPath(recordId));
  const recordKey = unwrapKey(detail, keys);
  const id = randomId();
  const body = toBase64(encryptEntry(recordKey, detail.id, id, content));
  await api.post(`${recordPath(recordId)}/entries`, { id, kind: content.kind, body, ...extra });
  return { id, kind: content.kind };
}

export function unwrapKey(detail: RecordDetail, keys: ReviewerKeys): Uint8Array {
  try {
    return unwrapRecordKey(fromBase64(detail.wrappedKey), keys.box);
  } catch (err) {
    if (!isCryptoError(err)) throw err;
    throw new ConsoleError(
      'RECORD_KEY_UNREADABLE',
      `The record key of ${detail.id} is not sealed to this key file (${err.code})`,
    );
  }
}
