import { isCryptoError } from '../crypto';
import { consoleLanguage, KO_ERRORS } from './messages-ko';

// Every failure the console reports is one sentence with a stable code, on stderr, exit 1.
// Codes from the API ({error:{code,message}}) pass through unchanged; local ones are ours.

export class ConsoleError extends Error {
  readonly code: string;
  /** Exit status; 1 unless a command says otherwise (verify uses 2 for a broken chain). */
  readonly exitCode: number;

  constructor(code: string, message: string, exitCode = 1) {
    super(message);
    this.name = 'ConsoleError';
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** An error answered by the API, with its HTTP status. */
export class ApiError extends ConsoleError {
  readonly status: number;

  constructor(code: string, status: number, message: string) {
    super(code, message);
    this.name = 'ApiError';
    this.status = status;
  }
}

export function isApiError(e: unknown, code?: string): e is ApiError {
  return e instanceof ApiError && (code === undefined || e.code === code);
}

const sentence = (m: string): string => {
  const s = m.trim().replace(/\s+/g, ' ');
  return /[.!?]$/.test(s) ? s : `${s}.`;
};

/** The one line printed for a failure, in Korean when the console speaks it (SORI_LANG=ko). */
export function describeError(err: unknown): { line: string; exitCode: number; code: string } {
  const d = describeErrorEn(err);
  const ko = consoleLanguage() === 'ko' ? KO_ERRORS[d.code] : undefined;
  return ko ? { ...d, line: `sori: ${sentence(ko)} (${d.code})` } : d;
}

/** The one line printed for a failure; never a stack, never key material. */
function describeErrorEn(err: unknown): { line: string; exitCode: number; code: string } {
  if (err instanceof ConsoleError) {
    return {
      line: `sori: ${sentence(err.message)} (${err.code})`,
      exitCode: err.exitCode,
      code: err.code,
    };
  }
  if (isCryptoError(err)) {
    return { line: `sori: ${sentence(err.message)} (${err.code})`, exitCode: 1, code: err.code };
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    // Node system errors (ENOENT, EACCES...): the message names the path, never content.
    const msg = err instanceof Error ? err.message : code;
    return { line: `sori: ${sentence(msg)} (${code})`, exitCode: 1, code };
  }
  // SORI_DEBUG=1 shows what went wrong while developing; by default nothing beyond the code.
  if (process.env.SORI_DEBUG === '1' && err instanceof Error)
    process.stderr.write(`${err.stack ?? err.message}\n`);
  return { line: 'sori: An unexpected error occurred. (INTERNAL)', exitCode: 1, code: 'INTERNAL' };
}
