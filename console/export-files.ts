import { mkdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { recordFileKey, type ReviewerKeys } from '../crypto';
import type { RecordFile } from '../core/record/record-body';
import type { ExportedFile } from './export-format';
import type { OpenedRecord } from './records';
import { fetchRecordFile, openOriginalKey, saveDecrypted } from './record-files';

// The files of one record in an export: clean copies always (ID/files/), held-back originals
// only when an admin asks (ID/originals/). Names come from the source: only letters, digits
// and a few marks survive, behind a number that keeps them unique and in manifest order.

export const ORIGINALS_WARNING =
  'WARNING: originals are the files exactly as the source sent them. They were held back because they could not be cleaned and may carry GPS positions, device serial numbers, author names and other metadata that identify the source. Keep them encrypted and share them with no one who does not need them.';

export function safeName(name: string, n: number, extension?: string): string {
  const base = extension === undefined ? name : name.slice(0, name.length - extname(name).length);
  const clean =
    base
      .normalize('NFC')
      .replace(/[^\p{L}\p{N}._ -]/gu, '_')
      .replace(/^[.\s]+/, '')
      .slice(0, 80) || 'file';
  const ext = extension?.replace(/[^a-z0-9]/gi, '').slice(0, 10);
  return `${String(n).padStart(2, '0')}-${clean}${ext ? `.${ext}` : ''}`;
}

export interface FileExportContext {
  server: string;
  token: string;
  keys: ReviewerKeys;
  out: string;
  includeOriginals: boolean;
}

export async function exportRecordFiles(
  c: FileExportContext,
  r: OpenedRecord,
  add: (f: ExportedFile) => void,
): Promise<void> {
  const id = r.detail.id;
  const files: RecordFile[] = r.body.files ?? [];
  for (const [i, f] of files.entries()) {
    if (f.status === 'clean') {
      const path = `${id}/files/${safeName(f.name, i + 1, f.extension)}`;
      mkdirSync(join(c.out, id, 'files'), { recursive: true, mode: 0o700 });
      const fetched = await fetchRecordFile(c.server, c.token, id, f.fileId);
      const key = recordFileKey(r.recordKey, f.subkeyId);
      const saved = await saveDecrypted(fetched, key, join(c.out, path), f.sha256, f.name);
      add({ path, ...saved, file: { recordId: id, fileId: f.fileId, status: 'clean' } });
      if (f.rendition) await exportRendition(c, r, f, i + 1, add);
    } else if (c.includeOriginals && f.fileId) {
      const path = `${id}/originals/${safeName(f.name, i + 1)}`;
      mkdirSync(join(c.out, id, 'originals'), { recursive: true, mode: 0o700 });
      const fetched = await fetchRecordFile(c.server, c.token, id, f.fileId);
      const key = openOriginalKey(fetched.wrappedKey, c.keys);
      const saved = await saveDecrypted(fetched, key, join(c.out, path), f.sha256, f.name);
      add({ path, ...saved, file: { recordId: id, fileId: f.fileId, status: 'original' } });
    }
  }
}

/** A document's safe rendition, next to its clean copy, checked against the record's SHA-256. */
async function exportRendition(
  c: FileExportContext,
  r: OpenedRecord,
  f: Extract<RecordFile, { status: 'clean' }>,
  n: number,
  add: (f: ExportedFile) => void,
): Promise<void> {
  const rendition = f.rendition!;
  const id = r.detail.id;
  const name = `${f.name.slice(0, f.name.length - extname(f.name).length)}-rendition`;
  const path = `${id}/files/${safeName(name, n, 'pdf')}`;
  const fetched = await fetchRecordFile(c.server, c.token, id, rendition.fileId);
  const key = recordFileKey(r.recordKey, rendition.subkeyId);
  const label = `${f.name} (safe rendition)`;
  const saved = await saveDecrypted(fetched, key, join(c.out, path), rendition.sha256, label);
  add({ path, ...saved, file: { recordId: id, fileId: rendition.fileId, status: 'rendition' } });
}
