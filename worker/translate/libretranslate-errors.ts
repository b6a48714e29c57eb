import { TranslationError, type TranslationErrorCode } from './translator';

// Maps LibreTranslate's HTTP and transport failures onto TranslationError codes. The engine's
// error body is read only to classify a 400 and then dropped: its 500 body is
// "Cannot translate text: <exception>", which can carry the testimony.

export async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch (err) {
    if (isTimeout(err)) throw transportError(err);
    return undefined;
  }
}

// Duck-typed: the DOMException thrown by AbortSignal.timeout may come from another realm.
function isTimeout(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

export function transportError(err: unknown): TranslationError {
  if (isTimeout(err)) {
    return new TranslationError('TRANSLATE_TIMEOUT', 'LibreTranslate did not answer in time');
  }
  // undici puts the socket error (ECONNREFUSED, ...) in cause.code: an address, never content.
  const code = (err as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  const reason = typeof code === 'string' ? code : 'network error';
  return new TranslationError('TRANSLATE_UNAVAILABLE', `LibreTranslate unreachable (${reason})`);
}

function classify(status: number, error: unknown): [TranslationErrorCode, string] {
  if (status === 400 && typeof error === 'string' && /not supported|not available/i.test(error)) {
    return ['TRANSLATE_UNSUPPORTED', 'LibreTranslate does not support this language pair'];
  }
  if (status === 403)
    return ['TRANSLATE_FORBIDDEN', 'LibreTranslate refused the request (API key or ban)'];
  if (status === 429) return ['TRANSLATE_RATE_LIMITED', 'LibreTranslate rate limit reached'];
  if (status >= 500) return ['TRANSLATE_ENGINE_ERROR', `LibreTranslate failed with HTTP ${status}`];
  return ['TRANSLATE_BAD_REQUEST', `LibreTranslate rejected the request with HTTP ${status}`];
}

export async function errorFor(response: Response): Promise<TranslationError> {
  const body = (await readJson(response)) as { error?: unknown } | undefined;
  const [code, message] = classify(response.status, body?.error);
  return new TranslationError(code, message, { status: response.status });
}
