import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import {
  AppError,
  badRequest,
  notFound,
  payloadTooLarge,
  unsupportedMediaType,
} from '../../core/errors';
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
    throw new AppError('TUS_VERSION_UNSUPPORTED', 412, 'Tus-Resumable must be 1.0.0');
  }
}

export function parseUploadId(raw: unknown): string {
  const parsed = uploadId.safeParse(raw);
  if (!parsed.success) throw notFound('UPLOAD_NOT_FOUND', 'No such upload');
  return parsed.data;
}

/** POST: a fixed length of ciphertext shape, within the limit; no metadata, no body. */
export function parseCreation(headers: IncomingHttpHeaders, maxBytes: number): number {
  if (header(headers, 'upload-defer-length') !== undefined) {
    throw badRequest('UPLOAD_DEFER_LENGTH_UNSUPPORTED', 'Upload-Length must be given');
  }
  // Metadata would carry filenames and types, which identify: the real name travels inside
  // the encrypted manifest. Refused rather than ignored, so a client learns not to send it.
  if ((header(headers, 'upload-metadata') ?? '').trim() !== '') {
    throw badRequest('UPLOAD_METADATA_REFUSED', 'Upload-Metadata is not accepted');
  }
  if (header(headers, 'upload-concat') !== undefined) {
    throw badRequest('UPLOAD_CONCAT_UNSUPPORTED', 'Concatenation is not supported');
  }
  const body = header(headers, 'content-length');
  if ((body !== undefined && body !== '0') || header(headers, 'transfer-encoding')) {
    throw badRequest('CREATION_WITH_UPLOAD_UNSUPPORTED', 'Create first, then PATCH the bytes');
  }
  const raw = header(headers, 'upload-length');
  if (raw === undefined) throw badRequest('UPLOAD_LENGTH_REQUIRED', 'Upload-Length is required');
  const parsed = decimal.safeParse(raw);
  if (!parsed.success) throw badRequest('BAD_UPLOAD_LENGTH', 'Upload-Length is not a length');
  if (parsed.data > maxBytes) throw payloadTooLarge('UPLOAD_TOO_LARGE', 'Upload is too large');
  if (!isEncryptedFileLength(parsed.data)) {
    throw badRequest('BAD_UPLOAD_LENGTH', 'Upload-Length is not an encrypted file length');
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
    throw unsupportedMediaType('BAD_CONTENT_TYPE', `Content-Type must be ${OFFSET_STREAM}`);
  }
  // The stored bytes are the offsets: a compressed body would shift every one of them.
  const encoding = header(headers, 'content-encoding');
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
    throw unsupportedMediaType('BAD_CONTENT_ENCODING', 'Content-Encoding is not supported');
  }
  const offset = decimal.safeParse(header(headers, 'upload-offset'));
  if (!offset.success) throw badRequest('BAD_UPLOAD_OFFSET', 'Upload-Offset is required');
  const length = header(headers, 'content-length');
  const contentLength = length === undefined ? null : decimal.safeParse(length);
  if (contentLength && !contentLength.success) {
    throw badRequest('BAD_CONTENT_LENGTH', 'Content-Length is not a length');
  }
  return { offset: offset.data, contentLength: contentLength?.data ?? null };
}
