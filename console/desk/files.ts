import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { recordFileKey } from '../../crypto';
import { decryptToMemory, fetchRecordFile } from '../record-files';
import type { OpenedRecord } from '../records';
import type { RecordFile } from '../../core/record/record-body';
import { INLINE_TYPES } from './case-view';
import { DeskError } from './desk-error';
import { FileCache } from './file-cache';
import type { Inbox } from './inbox';
import type { Vault } from './vault';

// An attachment for the page: fetched as ciphertext, decrypted into this process's memory and
// checked against its record's SHA-256; never written to disk (the page saves it only on
// "Save"). Byte ranges for audio and video come from file-cache.ts (CONSOLE.md).

export type CleanFile = Extract<RecordFile, { status: 'clean' }>;

/** What one request may be served: a clean file, or the safe PDF rendition made from one. */
export interface ShownFile {
  fileId: string;
  subkeyId: number;
  sha256: string;
  mime: string;
  extension: string;
  inline: boolean;
}

export function findCleanFile(r: OpenedRecord, fileId: string): CleanFile {
  const f = r.body.files.find((x): x is CleanFile => x.status === 'clean' && x.fileId === fileId);
  if (!f) throw new DeskError('FILE_NOT_FOUND', 404, 'This record has no such clean file');
  return f;
}

export function findShownFile(
  r: OpenedRecord,
  fileId: string,
  part: 'file' | 'rendition',
): ShownFile {
  const f = findCleanFile(r, fileId);
  if (part === 'file') return { ...f, inline: INLINE_TYPES.has(f.mime) };
  if (!f.rendition)
    throw new DeskError('RENDITION_NOT_FOUND', 404, 'This file has no safe PDF rendition');
  // Pages drawn as pictures by the worker's jail: nothing in it can run, so it opens in place.
  return { ...f.rendition, extension: 'pdf', inline: true };
}

export async function cleanFileBytes(
  vault: Vault,
  r: OpenedRecord,
  f: Pick<ShownFile, 'fileId' | 'subkeyId' | 'sha256'>,
  label = 'The file',
): Promise<Buffer> {
  const fetched = await vault.withToken((token) =>
    fetchRecordFile(vault.server, token, r.detail.id, f.fileId),
  );
  return decryptToMemory(fetched, recordFileKey(r.recordKey, f.subkeyId), f.sha256, label);
}

/** The whole body, or the one byte range asked for (206); a range past the end is 416. */
function sendBytes(req: Request, res: Response, bytes: Buffer, type: string): void {
  res.set('Accept-Ranges', 'bytes');
  const ranges = req.headers.range ? req.range(bytes.length) : undefined;
  if (ranges === -1) {
    res.status(416).set('Content-Range', `bytes */${bytes.length}`).end();
    return;
  }
  if (Array.isArray(ranges) && ranges.type === 'bytes' && ranges.length === 1) {
    const { start, end } = ranges[0]!;
    res.status(206).set('Content-Range', `bytes ${start}-${end}/${bytes.length}`);
    res.type(type).send(bytes.subarray(start, end + 1));
    return;
  }
  res.type(type).send(bytes);
}

const uuid = z.uuid();
const id = (v: unknown): string => {
  const r = uuid.safeParse(v);
  if (!r.success) throw new DeskError('DESK_BAD_INPUT', 400, 'Not an id');
  return r.data;
};

export function fileRoutes(vault: Vault, inbox: Inbox): Router {
  const r = Router();
  const cache = new FileCache();
  vault.onLock(() => cache.clear());
  const serve = (part: 'file' | 'rendition') => async (req: Request, res: Response) => {
    vault.requireKeys();
    const rec = inbox.record(id(req.params.recordId));
    if (!rec) throw new DeskError('RECORD_NOT_FOUND', 404, 'No record you can read has this id');
    const f = findShownFile(rec, id(req.params.fileId), part);
    const bytes = await cache.get(`${rec.detail.id}/${f.fileId}`, () =>
      cleanFileBytes(vault, rec, f),
    );
    const inline = f.inline && req.query.download !== '1';
    // A file from a source is never a page of the desk: sandboxed, no script, whatever it is.
    // (The sandbox comes from this header, not from a sandbox attribute on the page's frame:
    // Chromium refuses to show a PDF in a frame sandboxed that way.)
    res.set(
      'Content-Security-Policy',
      "sandbox; default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'",
    );
    const name = `${part === 'rendition' ? 'rendition' : 'file'}.${f.extension.replace(/[^a-z0-9]/gi, '')}`;
    res.set('Content-Disposition', `${inline ? 'inline' : 'attachment'}; filename="${name}"`);
    sendBytes(req, res, bytes, inline ? f.mime : 'application/octet-stream');
  };
  r.get('/api/records/:recordId/files/:fileId', serve('file'));
  r.get('/api/records/:recordId/files/:fileId/rendition', serve('rendition'));
  return r;
}
