import { backoffDelay, sleep } from './backoff';
import { joinChunks, splitText } from './split-text';
import { errorFor, readJson, transportError } from './libretranslate-errors';
import { TranslationError, type TranslationResult, type Translator } from './translator';

// Client for a self-hosted LibreTranslate (the docker-compose default). Error mapping lives in
// libretranslate-errors.ts; nothing here puts text or the engine's error body into an error.

export interface LibreTranslateOptions {
  url: string;
  apiKey?: string;
  /** Per-request limit in code points; must not exceed the server's --char-limit. */
  charLimit?: number;
  timeoutMs?: number;
  /** Retries per request after the first attempt, for 429, 5xx, timeouts and network errors. */
  retries?: number;
  backoffMs?: number;
}

interface TranslateResponse {
  translatedText?: unknown;
  detectedLanguage?: { language?: unknown };
}

export class LibreTranslateTranslator implements Translator {
  readonly engine = 'libretranslate';
  private readonly url: string;
  private readonly apiKey: string | undefined;
  private readonly charLimit: number;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private cachedVersion: string | undefined;

  constructor(options: LibreTranslateOptions) {
    this.url = new URL(options.url).toString().replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.charLimit = integerOption(options.charLimit ?? 2000, 1, 'charLimit');
    this.timeoutMs = integerOption(options.timeoutMs ?? 15000, 1, 'timeoutMs');
    this.retries = integerOption(options.retries ?? 3, 0, 'retries');
    this.backoffMs = integerOption(options.backoffMs ?? 250, 0, 'backoffMs');
  }

  /**
   * LibreTranslate has no version endpoint in every release: try `version` in
   * /frontend/settings, then the OpenAPI document's info.version at /spec, and settle for
   * 'unknown' once /languages proves the engine is there.
   */
  async version(): Promise<string> {
    if (this.cachedVersion) return this.cachedVersion;
    const settings = (await this.getJson('/frontend/settings')) as
      { version?: unknown } | undefined;
    let found = usableVersion(settings?.version);
    if (!found) {
      const spec = (await this.getJson('/spec')) as { info?: { version?: unknown } } | undefined;
      found = usableVersion(spec?.info?.version);
    }
    if (!found) {
      if (!Array.isArray(await this.getJson('/languages'))) {
        throw new TranslationError(
          'TRANSLATE_UNAVAILABLE',
          'LibreTranslate did not answer /languages',
        );
      }
      found = 'unknown';
    }
    this.cachedVersion = found;
    return found;
  }

  async translate(text: string, source: string, target: string): Promise<TranslationResult> {
    const from = source === 'und' ? 'auto' : source;
    const split = splitText(text, this.charLimit);
    const translated: string[] = [];
    let detected: string | undefined;
    // Sequential on purpose: a self-hosted engine is one CPU-bound process, and order matters.
    for (const chunk of split.chunks) {
      const response = await this.withRetries(() => this.post(chunk.text, from, target));
      translated.push(response.text);
      detected ??= response.detected;
    }
    // The text is already translated; a version probe failing now only loses a label.
    const engineVersion = await this.version().catch(() => 'unknown');
    return {
      text: joinChunks(split, translated),
      engine: this.engine,
      engineVersion,
      source: from === 'auto' && detected ? detected : from,
      target,
      chunks: split.chunks.length,
    };
  }

  private async withRetries<T>(attempt: () => Promise<T>): Promise<T> {
    for (let n = 0; ; n++) {
      try {
        return await attempt();
      } catch (err) {
        if (!(err instanceof TranslationError) || !err.retryable || n >= this.retries) throw err;
        await sleep(backoffDelay(n, this.backoffMs));
      }
    }
  }

  private async post(
    q: string,
    source: string,
    target: string,
  ): Promise<{ text: string; detected?: string }> {
    const body = {
      q,
      source,
      target,
      format: 'text',
      ...(this.apiKey ? { api_key: this.apiKey } : {}),
    };
    const response = await this.request('/translate', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw await errorFor(response);
    const json = (await readJson(response)) as TranslateResponse | undefined;
    if (typeof json?.translatedText !== 'string') {
      throw new TranslationError(
        'TRANSLATE_ENGINE_ERROR',
        'LibreTranslate answered without translatedText',
        {
          status: response.status,
          retryable: false,
        },
      );
    }
    const language = json.detectedLanguage?.language;
    return {
      text: json.translatedText,
      ...(typeof language === 'string' ? { detected: language } : {}),
    };
  }

  private async getJson(path: string): Promise<unknown> {
    const response = await this.request(path, { headers: { accept: 'application/json' } });
    return response.ok ? readJson(response) : undefined;
  }

  private async request(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(this.url + path, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw transportError(err);
    }
  }
}

function integerOption(value: number, min: number, name: string): number {
  if (!Number.isInteger(value) || value < min)
    throw new RangeError(`LibreTranslate option ${name} is out of range`);
  return value;
}

// LibreTranslate reports '?' when its VERSION file is missing.
function usableVersion(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && value !== '?' ? value : undefined;
}
