// The page's calls to its own desk process (same origin, cookie sent by the browser).

export class DeskCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

// The desk's second secret arrives once in the fragment of the address the terminal printed
// (/#k=…). sessionStorage keeps it for this tab and this origin (port included) only: another
// page on 127.0.0.1 gets the cookie from the browser, but never this.
const SECRET_KEY = 'sori-desk-k';

export function takePageSecret(): void {
  const m = /^#k=([A-Za-z0-9_-]+)$/.exec(location.hash);
  if (!m) return;
  sessionStorage.setItem(SECRET_KEY, m[1]!);
  history.replaceState(null, '', '/#/');
}

const pageSecret = (): string => sessionStorage.getItem(SECRET_KEY) ?? '';

/** A file or download address: elements cannot send headers, so the secret rides in the query. */
export function apiUrl(path: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}k=${encodeURIComponent(pageSecret())}`;
}

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: {
      'x-sori-desk': pageSecret(),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const json = (await res.json().catch(() => ({}))) as {
    error?: { code: string; message: string };
  };
  if (!res.ok)
    throw new DeskCallError(
      json.error?.code ?? `HTTP_${res.status}`,
      json.error?.message ?? res.statusText,
      res.status,
    );
  return json as T;
}
