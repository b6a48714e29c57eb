import type { Request, RequestHandler, Response } from 'express';
import { AppError, E, errorBody } from '../../core/errors';

// The whole-request deadline, per route: REQUEST_TIMEOUT_MS for every body but the no-JS
// form's, which may stream for many minutes and has its own progress check (server/SERVER.md).

function expire(req: Request, res: Response): void {
  if (req.complete) return;
  if (res.headersSent) {
    req.socket.destroy();
    return;
  }
  const err = new AppError(E.REQUEST_TIMEOUT);
  res.setHeader('Connection', 'close'); // the rest of the body is not waited for
  res.status(408).json(errorBody(err));
}

export function requestDeadline(ms: number, exempt: (req: Request) => boolean): RequestHandler {
  return (req, res, next) => {
    if (exempt(req) || req.complete) return next();
    // Every request passes here: the timer takes its arguments instead of a closure, and the
    // listeners are plain ones (each event comes once; a second clearTimeout is a no-op)
    // instead of once()'s wrapper and its removal.
    const timer = setTimeout(expire, ms, req, res);
    timer.unref();
    const stop = () => clearTimeout(timer);
    req.on('end', stop);
    res.on('close', stop);
    next();
  };
}
