// The contract every machine-translation engine implements. Testimony passes through here, so
// nothing in this module (or an engine) may put the text into an error message: errors end up
// in logs, and invariant 1 says plaintext never does.

export interface TranslationResult {
  text: string;
  engine: string;
  engineVersion: string;
  /** Source language as sent, or as the engine detected it when sent as 'auto'. */
  source: string;
  target: string;
  /** Number of requests the text was split into. */
  chunks: number;
}

export interface Translator {
  readonly engine: string;
  version(): Promise<string>;
  translate(text: string, source: string, target: string): Promise<TranslationResult>;
}

export type TranslationErrorCode =
  | 'TRANSLATE_BAD_REQUEST'
  | 'TRANSLATE_FORBIDDEN'
  | 'TRANSLATE_RATE_LIMITED'
  | 'TRANSLATE_ENGINE_ERROR'
  | 'TRANSLATE_TIMEOUT'
  | 'TRANSLATE_UNAVAILABLE'
  | 'TRANSLATE_UNSUPPORTED';

const RETRYABLE: Record<TranslationErrorCode, boolean> = {
  TRANSLATE_BAD_REQUEST: false,
  TRANSLATE_FORBIDDEN: false,
  TRANSLATE_RATE_LIMITED: true,
  TRANSLATE_ENGINE_ERROR: true,
  TRANSLATE_TIMEOUT: true,
  TRANSLATE_UNAVAILABLE: true,
  TRANSLATE_UNSUPPORTED: false,
};

export class TranslationError extends Error {
  override readonly name = 'TranslationError';
  readonly code: TranslationErrorCode;
  /** Whether trying again later (the job's own retry) can succeed. */
  readonly retryable: boolean;
  /** HTTP status from the engine, when there was one. */
  readonly status?: number;

  /** `message` must describe the failure only: never the text, never the engine's error body. */
  constructor(
    code: TranslationErrorCode,
    message: string,
    options: { status?: number; retryable?: boolean } = {},
  ) {
    super(message);
    this.code = code;
    this.retryable = options.retryable ?? RETRYABLE[code];
    if (options.status !== undefined) this.status = options.status;
  }
}
