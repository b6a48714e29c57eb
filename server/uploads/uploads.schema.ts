import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { AppError, E } from '../../core/errors';
import { isEncryptedFileLength } from './upload-length';

// tus 1.0 request headers, parsed at the edge into numbers or a stable error code. Values are
// never echoed back: they are whatever the client sent.

export const TUS_VERSION = '1.0.0';
export const TUS_EXTENSIONS = 'creation,termination,expiration';
export const OFFSET_STREAM = 'application/offset+octet-stream';

// Decimal, no sign, no leading zeros, at most 16 digits: always a safe integer.
const decimal = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,15})$/)
  .transform(Number)
  .refine(Number.isSafeInteger);
const uploadId = z.uuid().transform((s) => s.toLowerCase());

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};

export function checkTusResumable(headers: IncomingHttpHeaders): void {
  if (header(headers, 'tus-resumable') !== TUS_VERSION) {
    throw new AppError(E.TUS_VERSION_UNSUPPORTED);
  }
}

export function parseUploadId(raw: unknown): string {
  const parsed = uploadId.safeParse(raw);
  if (!parsed.success) throw new AppError(E.UPLOAD_NOT_FOUND);
  return parsed.data;
}

/** POST: a fixed length of ciphertext shape, within the limit; no metadata, no body. */
export function parseCreation(headers: IncomingHttpHeaders, maxBytes: number): number {
  if (header(headers, 'upload-defer-length') !== undefined) {
    throw new AppError(E.UPLOAD_DEFER_LENGTH_UNSUPPORTED);
  }
  // Metadata would carry filenames and types, which identify: the real name travels inside
  // the encrypted manifest. Refused rather than ignored, so a client learns not to send it.
  if ((header(headers, 'upload-metadata') ?? '').trim() !== '') {
    throw new AppError(E.UPLOAD_METADATA_REFUSED);
  }
  if (header(headers, 'upload-concat') !== undefined) {
    throw new AppError(E.UPLOAD_CONCAT_UNSUPPORTED);
  }
  const body = header(headers, 'content-length');
  if ((body !== undefined && body !== '0') || header(headers, 'transfer-encoding')) {
    throw new AppError(E.CREATION_WITH_UPLOAD_UNSUPPORTED);
  }
  const raw = header(headers, 'upload-length');
  if (raw === undefined) throw new AppError(E.UPLOAD_LENGTH_REQUIRED);
  const parsed = decimal.safeParse(raw);
  if (!parsed.success) throw new AppError(E.BAD_UPLOAD_LENGTH);
  if (parsed.data > maxBytes) throw new AppError(E.UPLOAD_TOO_LARGE);
  if (!isEncryptedFileLength(parsed.data)) {
    throw new AppError(E.BAD_UPLOAD_LENGTH, 'Upload-Length is not an encrypted file length');
  }
  return parsed.data;
}

export interface PatchHeaders {
  offset: number;
  contentLength: number | null;
}

export function parsePatch(headers: IncomingHttpHeaders): PatchHeaders {
  const type = header(headers, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== OFFSET_STREAM) {
    throw new AppError(E.BAD_CONTENT_TYPE, `Content-Type must be ${OFFSET_STREAM}`);
  }
  // The stored bytes are the offsets: a compressed body would shift every one of them.
  const encoding = header(headers, 'content-encoding');
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
    throw new AppError(E.BAD_CONTENT_ENCODING);
  }
  const offset = decimal.safeParse(header(headers, 'upload-offset'));
  if (!offset.success) throw new AppError(E.BAD_UPLOAD_OFFSET);
  const length = header(headers, 'content-length');
  const contentLength = length === undefined ? null : decimal.safeParse(length);
  if (contentLength && !contentLength.success) {
    throw new AppError(E.BAD_CONTENT_LENGTH);
  }
  return { offset: offset.data, contentLength: contentLength?.data ?? null };
}
