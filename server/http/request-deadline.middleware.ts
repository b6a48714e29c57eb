import type { Request, RequestHandler } from 'express';
import { AppError, E, errorBody } from '../../core/errors';

// The whole-request deadline, per route. Node's server.requestTimeout is one figure for a
// listener, but the no-JS form must be allowed to stream a large file over a slow Tor circuit
// for many minutes (it has its own progress check, server/page/multipart.ts), while every
// other body (JSON at most a few MiB, a tus PATCH that can resume) must arrive within
// REQUEST_TIMEOUT_MS as before. The listener's requestTimeout becomes the outer bound.

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
