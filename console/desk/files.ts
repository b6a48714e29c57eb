import { recordFileKey } from '../../crypto';
import { decryptToMemory, fetchRecordFile } from '../record-files';
import type { OpenedRecord } from '../records';
import type { RecordFile } from '../../core/record/record-body';
import { DeskError } from './desk-error';
import type { Vault } from './vault';

// An attachment for the page: fetched as ciphertext, decrypted into this process's memory,
// checked against the SHA-256 in its record, and handed to the browser from there. It is never
// written to disk; the page saves it only when the reviewer presses "Save".

export type CleanFile = Extract<RecordFile, { status: 'clean' }>;

export function findCleanFile(r: OpenedRecord, fileId: string): CleanFile {
  const f = r.body.files.find((x): x is CleanFile => x.status === 'clean' && x.fileId === fileId);
  if (!f) throw new DeskError('FILE_NOT_FOUND', 404, 'This record has no such clean file');
  return f;
}

export async function cleanFileBytes(vault: Vault, r: OpenedRecord, f: CleanFile): Promise<Buffer> {
  const fetched = await vault.withToken((token) =>
    fetchRecordFile(vault.server, token, r.detail.id, f.fileId),
  );
  return decryptToMemory(fetched, recordFileKey(r.recordKey, f.subkeyId), f.sha256, f.name);
}
