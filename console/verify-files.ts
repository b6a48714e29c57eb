import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Stream } from '../crypto';
import type { RecordFile } from '../core/record/record-body';
import { RECORD_FILE, type ExportManifest } from './export-format';
import type { Problem } from './verify-problem';

// Attachments in an export: each exported file's SHA-256 (already checked against the manifest)
// must be the one its record body states, and every clean file of a record must be there.

/** SHA-256 of a file read in chunks: exported attachments can be gigabytes. */
export async function hashFile(path: string): Promise<string> {
  const hash = sha256Stream();
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digestHex();
}

function bodyFiles(dir: string, recordId: string): RecordFile[] | null {
  try {
    const rec = JSON.parse(readFileSync(join(dir, recordId, RECORD_FILE), 'utf8')) as {
      record?: { body?: { files?: RecordFile[] } };
    };
    return rec.record?.body?.files ?? [];
  } catch {
    return null; // reported by the record check
  }
}

export function checkExportedFiles(
  dir: string,
  manifest: ExportManifest,
  problems: Problem[],
): void {
  for (const recordId of manifest.records) {
    const files = bodyFiles(dir, recordId);
    if (!files) continue;
    const exported = manifest.files.filter((f) => f.file?.recordId === recordId);
    // Renditions are listed under their document, hashed in the body like it.
    const renditions = files.flatMap((b) =>
      b.status === 'clean' && b.rendition ? [b.rendition] : [],
    );
    for (const f of exported) {
      const listed = [...files, ...renditions].find((b) => b.fileId === f.file?.fileId);
      if (!listed || listed.sha256 !== f.sha256) {
        problems.push({
          where: f.path,
          code: 'EXPORT_ATTACHMENT_MISMATCH',
          message: `${f.path} is not the file its record lists`,
        });
      }
    }
    for (const b of files) {
      if (b.status === 'clean' && !exported.some((f) => f.file?.fileId === b.fileId)) {
        problems.push({
          where: `${recordId}/files`,
          code: 'EXPORT_FILE_MISSING',
          message: `Attachment ${b.name} of record ${recordId} is missing from the export`,
        });
      }
      if (
        b.status === 'clean' &&
        b.rendition &&
        !exported.some((f) => f.file?.fileId === b.rendition!.fileId)
      ) {
        problems.push({
          where: `${recordId}/files`,
          code: 'EXPORT_FILE_MISSING',
          message: `The safe rendition of ${b.name} of record ${recordId} is missing from the export`,
        });
      }
    }
  }
}
