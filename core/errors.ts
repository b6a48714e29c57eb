// One error family for the whole service: a stable code, an HTTP status, and whether the
// message may be shown to the caller. Anything else becomes a bare internal error.

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly expose: boolean;

  constructor(code: string, status: number, message: string, expose = status < 500) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.expose = expose;
  }
}

export const badRequest = (code: string, message: string) => new AppError(code, 400, message);
export const unauthorized = (code: string, message: string) => new AppError(code, 401, message);
export const forbidden = (code: string, message: string) => new AppError(code, 403, message);
export const notFound = (code: string, message: string) => new AppError(code, 404, message);
export const conflict = (code: string, message: string) => new AppError(code, 409, message);
export const payloadTooLarge = (code: string, message: string) => new AppError(code, 413, message);
export const unsupportedMediaType = (code: string, message: string) =>
  new AppError(code, 415, message);
export const unprocessable = (code: string, message: string) => new AppError(code, 422, message);
export const tooManyRequests = (code: string, message: string) => new AppError(code, 429, message);
export const unavailable = (code: string, message: string) =>
  new AppError(code, 503, message, true);

export const internalError = () => new AppError('INTERNAL', 500, 'Internal error', false);

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** The JSON body every error response carries. */
export function errorBody(err: AppError): { error: { code: string; message: string } } {
  return { error: { code: err.code, message: err.expose ? err.message : 'Internal error' } };
}
