import { ConsoleError, isApiError } from '../errors';
import { isCryptoError } from '../../crypto';

// The desk answers its page as the console answers its terminal: one sentence and a stable
// code, as JSON, with an HTTP status. Unknown errors become DESK_INTERNAL with no detail.

export class DeskError extends ConsoleError {
  constructor(
    code: string,
    readonly status: number,
    message: string,
  ) {
    super(code, message);
    this.name = 'DeskError';
  }
}

const STATUS: Record<string, number> = {
  KEYFILE_BAD_PASSPHRASE: 401,
  KEYFILE_MISSING: 500,
  NETWORK_ERROR: 502,
  RECORD_NOT_FOUND: 404,
};

export function errorAnswer(err: unknown): { status: number; code: string; message: string } {
  if (err instanceof DeskError) return { status: err.status, code: err.code, message: err.message };
  if (isApiError(err)) {
    // The review API's refusals are the reviewer's to read; its failures are a bad gateway here.
    const status = err.status >= 400 && err.status < 500 ? err.status : 502;
    return { status, code: err.code, message: err.message };
  }
  if (err instanceof ConsoleError)
    return { status: STATUS[err.code] ?? 400, code: err.code, message: err.message };
  if (isCryptoError(err)) return { status: 422, code: err.code, message: err.message };
  return { status: 500, code: 'DESK_INTERNAL', message: 'Something went wrong in the desk' };
}
