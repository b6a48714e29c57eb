import { request } from 'node:http';

// Raw HTTP to the desk, so a test can send exactly the headers an attacker's page or a
// DNS-rebound name would (fetch would not let it set Host).

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text(): string;
  json<T = { error?: { code: string } }>(): T;
}

export function raw(
  origin: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawResponse> {
  const url = new URL(path, origin);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: url.pathname + url.search,
        headers: { host: url.host, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: buf,
            text: () => buf.toString('utf8'),
            json: <T>() => JSON.parse(buf.toString('utf8')) as T,
          });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A logged-in page's session: the cookie from the one-time link, and same-origin JSON calls. */
export async function openSession(openUrl: string) {
  const origin = new URL(openUrl).origin;
  const res = await raw(origin, 'GET', openUrl.slice(origin.length));
  const setCookie = String(res.headers['set-cookie'] ?? '');
  const cookie = setCookie.split(';')[0]!;
  // The page's own secret comes in the redirect's fragment, as the browser would load it.
  const pageSecret = /^\/#k=([A-Za-z0-9_-]+)$/.exec(String(res.headers.location ?? ''))?.[1] ?? '';
  const send = (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) =>
    raw(
      origin,
      method,
      path,
      {
        cookie,
        'x-sori-desk': pageSecret,
        ...(body === undefined ? {} : { 'content-type': 'application/json', origin }),
        ...extra,
      },
      body === undefined ? undefined : JSON.stringify(body),
    );
  return { origin, cookie, pageSecret, setCookie, exchange: res, send };
}
