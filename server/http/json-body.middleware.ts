import { isAscii } from 'node:buffer';
import type { RequestHandler } from 'express';
import { AppError, E } from '../../core/errors';
import { exceedsJsonDepth } from './json-depth';
import { readBody } from './read-body';

// Our own JSON body parsing, so every way a body can be wrong has its own stable code:
// wrong media type (415), compressed (415), too large (413), too deep, not UTF-8 or not JSON.

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

/** The usual header, checked without splitting it; anything else takes the full parse. */
const isPlainJson = (header: string | undefined): boolean =>
  header === 'application/json' || isJsonMediaType(header);

function parseJson(bytes: Buffer): unknown {
  if (exceedsJsonDepth(bytes, MAX_JSON_DEPTH)) {
    throw new AppError(E.JSON_TOO_DEEP, `JSON nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  try {
    // An envelope is ASCII (base64url and ids): read as such it needs no UTF-8 validation, and
    // gives the same string. Anything else (a BOM included) goes through the strict decoder.
    return JSON.parse(isAscii(bytes) ? bytes.toString('latin1') : utf8.decode(bytes)) as unknown;
  } catch {
    throw new AppError(E.MALFORMED_JSON);
  }
}

/**
 * application/json only, at most limit bytes, no Content-Encoding (no decompression bombs).
 * One layer (the route's hot path walks no more than it needs); a list, as routes spread it.
 */
export function jsonBody(limit: number): RequestHandler[] {
  const read: RequestHandler = (req, _res, next) => {
    if (!isPlainJson(req.headers['content-type'])) {
      next(new AppError(E.UNSUPPORTED_MEDIA_TYPE));
      return;
    }
    const encoding = req.headers['content-encoding'];
    // Absent, empty or identity: the body is as sent (body-parser read these the same way).
    if (encoding !== undefined && encoding !== '' && encoding.toLowerCase() !== 'identity') {
      next(new AppError(E.UNSUPPORTED_MEDIA_TYPE, 'Content encoding not supported'));
      return;
    }
    readBody(req, limit, (err, bytes) => {
      if (err) {
        next(err);
        return;
      }
      try {
        req.body = parseJson(bytes);
      } catch (parseErr) {
        next(parseErr);
        return;
      }
      next();
    });
  };
  return [read];
}
