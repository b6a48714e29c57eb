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

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
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
