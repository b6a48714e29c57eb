import type { RequestHandler, Response } from 'express';
import { AppError, E } from '../../../core/errors';
import { fromBase64 } from '../../../crypto';
import type { AuthService, Caller } from './auth.service';
import { uncertified, type EnrolmentGate } from './enrolment-gate.service';

// Bearer sessions. The token is 32 random bytes in base64url; anything else is not a session.
// With enrolment roots configured, a session of a reviewer whose row does not chain to a root
// authenticates nothing but the route that presents a certificate (`allowUncertified`).

const BEARER = /^Bearer ([A-Za-z0-9_-]{43})$/;

export function authenticate(
  auth: AuthService,
  gate?: EnrolmentGate,
  options: { allowUncertified?: boolean } = {},
): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization;
    if (!header) throw new AppError(E.AUTH_REQUIRED);
    const match = BEARER.exec(header);
    let token: Uint8Array | null = null;
    try {
      token = match?.[1] ? fromBase64(match[1]) : null;
    } catch {
      token = null;
    }
    if (!token || token.length !== 32) throw new AppError(E.SESSION_INVALID);
    const who = await auth.authenticate(token);
    if (gate?.enforced && !options.allowUncertified && !(await gate.certified(who.reviewerId)))
      throw uncertified();
    res.locals.caller = who;
    next();
  };
}

export const requireAdmin: RequestHandler = (_req, res, next) => {
  if (caller(res).role !== 'admin') throw new AppError(E.ADMIN_REQUIRED);
  next();
};

/** The authenticated caller; only reachable behind authenticate(). */
export function caller(res: Response): Caller {
  const c = (res.locals as { caller?: Caller }).caller;
  if (!c) throw new AppError(E.AUTH_REQUIRED);
  return c;
}
