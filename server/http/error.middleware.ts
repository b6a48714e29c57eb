import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, E, errorBody, internalError, isAppError } from '../../core/errors';
import { errorFields, type Logger } from '../../core/logger';

// One error middleware: known failures keep their code, anything else is a bare 500.
// Errors are logged by class and code only: their messages and properties may quote input.

/** body-parser's errors carry a `type`; map the ones a client can cause to our codes. */
function fromBodyReader(err: unknown): AppError | null {
  if (!err || typeof err !== 'object' || !('type' in err)) return null;
  const { type, status } = err as { type?: unknown; status?: unknown };
  switch (type) {
    case 'entity.too.large':
      return new AppError(E.BODY_TOO_LARGE);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(E.UNSUPPORTED_MEDIA_TYPE, 'Content encoding not supported');
    case 'request.aborted':
      return new AppError(E.REQUEST_ABORTED);
    default:
      return typeof status === 'number' && status >= 400 && status < 500
        ? new AppError(E.BAD_REQUEST)
        : null;
  }
}

// Postgres unreachable, restarting or out of connections: the client should retry later
// (sources on Tor do), so this is a 503, not an INTERNAL.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P03',
  '53300',
  '57014', // statement timeout
]);

function fromDependency(err: unknown): AppError | null {
  if (!err || typeof err !== 'object') return null;
  const { code, message } = err as { code?: unknown; message?: unknown };
  // pg-pool's own timeouts carry no code, only this message.
  const poolTimeout = typeof message === 'string' && message.startsWith('timeout exceeded when');
  if ((typeof code === 'string' && UNAVAILABLE_CODES.has(code)) || poolTimeout)
    return new AppError(E.SERVICE_UNAVAILABLE);
  // SQLSTATE class 22 (data exception) is a value the client sent that validation let through.
  if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code))
    return new AppError(E.INVALID_REQUEST, 'Request holds a value that cannot be stored');
  return null;
}

/** Express throws a URIError (status 400) for a path with bad percent-encoding, e.g. /%ZZ. */
function fromRouter(err: unknown): AppError | null {
  return err instanceof URIError && (err as { status?: unknown }).status === 400
    ? new AppError(E.BAD_PATH)
    : null;
}

export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const known = isAppError(err)
      ? err
      : (fromBodyReader(err) ?? fromRouter(err) ?? fromDependency(err));
    const appErr = known ?? internalError();
    if (!known) log.error('http.error', errorFields(err));
    else if (appErr.status >= 500) log.warn('http.unavailable', { code: appErr.code });
    if (res.headersSent) {
      res.end();
      return;
    }
    if (appErr.status === 503) res.setHeader('Retry-After', '30');
    res.status(appErr.status).json(errorBody(appErr));
  };
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(new AppError(E.NOT_FOUND));
};

/** For a known path used with the wrong method. */
export function methodNotAllowed(allow: string): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('Allow', allow);
    next(new AppError(E.METHOD_NOT_ALLOWED));
  };
}
