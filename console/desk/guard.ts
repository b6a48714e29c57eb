import type { NextFunction, Request, Response } from 'express';
import { bytesEqual, fromBase64, randomBytes, toBase64, utf8 } from '../../crypto';

// The desk is a web server holding unlocked keys, so every other page the browser has open is an
// attacker: loopback, exact Host, two per-launch secrets, Origin checks, no CORS (CONSOLE.md).

export const COOKIE = 'sori_desk';

export interface Secrets {
  /** One-time: exchanged for the cookie once, then useless (it sits in terminal scrollback). */
  token: string | null;
  cookie: string;
  /** The page's own: sent as PAGE_HEADER (or `k` in the query) on every /api request. */
  page: string;
}

export const PAGE_HEADER = 'x-sori-desk';

export function newSecrets(): Secrets {
  return {
    token: toBase64(randomBytes(32)),
    cookie: toBase64(randomBytes(32)),
    page: toBase64(randomBytes(32)),
  };
}

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "media-src 'self' blob:",
  "frame-src 'self'",
  "connect-src 'self'",
  "font-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

function refuse(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.set({
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'SAMEORIGIN',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  });
  next();
}

export function hostCheck(origin: () => string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.headers.host !== new URL(origin()).host)
      return refuse(
        res,
        421,
        'DESK_BAD_HOST',
        'The desk answers only at 127.0.0.1 and its own port',
      );
    next();
  };
}

function cookieValue(req: Request): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return null;
}

function same(a: string, b: string): boolean {
  try {
    return bytesEqual(utf8(a), utf8(b));
  } catch {
    return false;
  }
}

/** GET /open?token=… sets the cookie once and sends the page to /. */
export function tokenExchange(secrets: Secrets) {
  return (req: Request, res: Response): void => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    if (secrets.token === null || !same(token, secrets.token)) {
      res
        .status(403)
        .type('text/plain')
        .send('This desk link was already used or is wrong. Run sori desk again for a new one.');
      return;
    }
    secrets.token = null;
    fromBase64(secrets.cookie); // well-formed by construction; a cookie value needs no escaping
    res.set('Set-Cookie', `${COOKIE}=${secrets.cookie}; Path=/; HttpOnly; SameSite=Strict`);
    // A fragment never reaches a server or a Referer: only the page that loads reads it.
    res.redirect(303, `/#k=${secrets.page}`);
  };
}

export function requireSecret(secrets: Secrets) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const c = cookieValue(req);
    if (c === null || !same(c, secrets.cookie)) {
      if (req.method === 'GET' && req.path === '/') {
        res
          .status(401)
          .type('text/plain')
          .send('Open the address that sori desk printed in your terminal.');
        return;
      }
      return refuse(res, 401, 'DESK_SECRET_REQUIRED', 'Open the address sori desk printed');
    }
    if (req.path.startsWith('/api/')) {
      const header = req.get(PAGE_HEADER);
      const query = typeof req.query.k === 'string' ? req.query.k : undefined;
      const given = header ?? query ?? '';
      if (!same(given, secrets.page))
        return refuse(
          res,
          401,
          'DESK_PAGE_SECRET_REQUIRED',
          'Only the desk page opened from the address sori desk printed may ask this',
        );
    }
    next();
  };
}

/** Anything but GET/HEAD must come from the desk's own page, as JSON. */
export function sameOrigin(origin: () => string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const from = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    const ok = from !== undefined ? from === origin() : site === 'same-origin';
    if (!ok)
      return refuse(res, 403, 'DESK_CROSS_ORIGIN', 'Changes are accepted only from the desk page');
    if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
      return refuse(res, 415, 'DESK_JSON_REQUIRED', 'The desk takes JSON bodies only');
    next();
  };
}
