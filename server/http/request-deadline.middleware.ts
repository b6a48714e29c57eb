import type { Request, RequestHandler } from 'express';
import { AppError, E, errorBody } from '../../core/errors';

// The whole-request deadline, per route: REQUEST_TIMEOUT_MS for every body but the no-JS
// form's, which may stream for many minutes and has its own progress check (server/SERVER.md).

export function requestDeadline(ms: number, exempt: (req: Request) => boolean): RequestHandler {
  return (req, res, next) => {
    if (exempt(req) || req.complete) return next();
    const timer = setTimeout(() => {
      if (req.complete) return;
      if (res.headersSent) {
        req.socket.destroy();
        return;
      }
      const err = new AppError(E.REQUEST_TIMEOUT);
      res.setHeader('Connection', 'close'); // the rest of the body is not waited for
      res.status(408).json(errorBody(err));
    }, ms);
    timer.unref();
    const stop = () => clearTimeout(timer);
    req.once('end', stop);
    res.once('close', stop);
    next();
  };
}
