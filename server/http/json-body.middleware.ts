import express, { type RequestHandler } from 'express';
import { badRequest, unsupportedMediaType } from '../../core/errors';
import { exceedsJsonDepth } from './json-depth';

// Our own JSON body parsing, so every way a body can be wrong has its own stable code:
// wrong media type (415), too large (413, from the raw reader), too deep, not UTF-8 or not JSON.

export const MAX_JSON_DEPTH = 8;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function isJsonMediaType(header: string | undefined): boolean {
  if (!header) return false;
  const [type, ...params] = header.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json') return false;
  for (const p of params) {
    const [name, value] = p.split('=').map((s) => s.trim().replace(/^"|"$/g, ''));
    if (name === 'charset' && value !== 'utf-8' && value !== 'utf8') return false;
  }
  return true;
}

const requireJson: RequestHandler = (req, _res, next) => {
  if (!isJsonMediaType(req.headers['content-type'])) {
    next(unsupportedMediaType('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json'));
    return;
  }
  next();
};

const parseJson: RequestHandler = (req, _res, next) => {
  const raw: unknown = req.body;
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.alloc(0);
  if (exceedsJsonDepth(bytes, MAX_JSON_DEPTH)) {
    next(badRequest('JSON_TOO_DEEP', `JSON nests deeper than ${MAX_JSON_DEPTH} levels`));
    return;
  }
  try {
    req.body = JSON.parse(utf8.decode(bytes)) as unknown;
  } catch {
    next(badRequest('MALFORMED_JSON', 'Body is not valid UTF-8 JSON'));
    return;
  }
  next();
};

/** application/json only, at most limit bytes, no Content-Encoding (no decompression bombs). */
export function jsonBody(limit: number): RequestHandler[] {
  return [requireJson, express.raw({ type: () => true, limit, inflate: false }), parseJson];
}
