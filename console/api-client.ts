import { ApiError, ConsoleError } from './errors';

// fetch with typed errors: a JSON {error:{code,message}} becomes an ApiError with that code;
// an unreachable server becomes NETWORK_ERROR. Tokens travel only in the Authorization header.

export type Query = Record<string, string | number | boolean | undefined>;

export interface ApiClient {
  readonly baseUrl: string;
  get<T>(path: string, query?: Query): Promise<T>;
  post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
  put<T>(path: string, body?: unknown): Promise<T>;
  delete<T>(path: string): Promise<T>;
}

export interface ApiClientOptions {
  baseUrl: string;
  token?: string;
  /** Extra attempts after a network error (POSTs only when the body is idempotent). */
  retries?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function buildUrl(baseUrl: string, path: string, query?: Query): string {
  const url = new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  for (const [k, v] of Object.entries(query ?? {}))
    if (v !== undefined) url.searchParams.set(k, String(v));
  return url.toString();
}

export async function toApiError(res: Response): Promise<ApiError> {
  let code = `HTTP_${res.status}`;
  let message = `The server answered ${res.status} ${res.statusText}`.trim();
  try {
    const json = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof json?.error?.code === 'string') code = json.error.code;
    if (typeof json?.error?.message === 'string') message = json.error.message;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(code, res.status, message);
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const retries = options.retries ?? 0;
  const delay = options.retryDelayMs ?? 500;

  async function request<T>(
    method: string,
    path: string,
    body?: unknown,
    query?: Query,
    extraHeaders?: Record<string, string>,
  ): Promise<T> {
    const url = buildUrl(options.baseUrl, path, query);
    const headers: Record<string, string> = { ...extraHeaders, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
        });
      } catch {
        if (attempt < retries) {
          await sleep(delay * 2 ** attempt);
          continue;
        }
        throw new ConsoleError('NETWORK_ERROR', `Cannot reach ${new URL(url).origin}`);
      }
      // 503 is "try again" (Postgres or Redis briefly down); retried like a network error.
      if (res.status === 503 && attempt < retries) {
        await sleep(delay * 2 ** attempt);
        continue;
      }
      if (!res.ok) throw await toApiError(res);
      if (res.status === 204) return undefined as T;
      const text = await res.text();
      if (text.length === 0) return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new ConsoleError(
          'BAD_RESPONSE',
          `The server at ${new URL(url).origin} did not answer JSON`,
        );
      }
    }
  }

  return {
    baseUrl: options.baseUrl,
    get: (path, query) => request('GET', path, undefined, query),
    post: (path, body, headers) => request('POST', path, body, undefined, headers),
    put: (path, body) => request('PUT', path, body),
    delete: (path) => request('DELETE', path),
  };
}
