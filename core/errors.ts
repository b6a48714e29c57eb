import {
  E,
  ERROR_CATALOGUE,
  wireCode,
  type CatalogueEntry,
  type ErrorCode,
  type ErrorName,
} from './error-catalogue';

// One error family for the whole service: a stable code, an HTTP status, and whether the
// message may be shown to the caller. Anything else becomes a bare internal error.

export { E, type ErrorCode, type ErrorName };

/** An error named in the catalogue (core/error-catalogue.ts), which gives its code and status. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly expose: boolean;

  constructor(name: ErrorName, message?: string) {
    const entry: CatalogueEntry = ERROR_CATALOGUE[name];
    super(message ?? entry.message);
    this.name = 'AppError';
    this.code = wireCode(name);
    this.status = entry.status;
    this.expose = entry.status < 500 || entry.shown === true;
  }
}

export const internalError = () => new AppError(E.INTERNAL);

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** The JSON body every error response carries. */
export function errorBody(err: AppError): { error: { code: ErrorCode; message: string } } {
  return { error: { code: err.code, message: err.expose ? err.message : 'Internal error' } };
}
