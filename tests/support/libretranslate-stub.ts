import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A LibreTranslate stand-in that speaks the real protocol (paths, JSON shapes, status codes and
// error strings of LibreTranslate's app.py), so the client is tested over real HTTP without a
// model download. Translation is a fixed dictionary, else "[en] " + text.

export type StubBehaviour =
  | { kind: 'normal' }
  | { kind: 'fail'; status: 429 | 500; times: number }
  | { kind: 'hang' }
  | { kind: 'slow'; delayMs: number };

export interface StubOptions {
  apiKey?: string;
  charLimit?: number;
  /** Reported in /frontend/settings; null mimics releases without it. */
  version?: string | null;
  /** Reported as info.version in /spec; null makes /spec 404. */
  specVersion?: string | null;
}

export interface StubRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface LibreTranslateStub {
  url: string;
  requests: StubRequest[];
  setBehaviour(behaviour: StubBehaviour): void;
  close(): Promise<void>;
}

const LANGUAGES = ['en', 'ko', 'ru', 'zh'];
const DICTIONARY: Record<string, string> = {
  '여권을 빼앗겼어요.': 'They took my passport.',
  '월급을 받지 못했습니다.': 'I was not paid my wages.',
  'Паспорт забрали.': 'They took the passport.',
  'Нам не платили.': 'We were not paid.',
  '근로계약서 고용주 한빛수산': 'Employment contract, employer Hanbit Fisheries',
};

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

export async function startLibreTranslateStub(
  options: StubOptions = {},
): Promise<LibreTranslateStub> {
  const charLimit = options.charLimit ?? 2000;
  const requests: StubRequest[] = [];
  let behaviour: StubBehaviour = { kind: 'normal' };

  function translate(res: ServerResponse, body: unknown): void {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return send(res, 400, { error: 'Invalid JSON format' });
    }
    const { q, source, target, api_key: apiKey } = body as Record<string, unknown>;
    if (options.apiKey !== undefined && apiKey !== undefined && apiKey !== options.apiKey) {
      return send(res, 403, { error: 'Invalid API key' });
    }
    if (options.apiKey !== undefined && apiKey === undefined) {
      return send(res, 400, { error: 'Please contact the server operator to get an API key' });
    }
    for (const [name, value] of Object.entries({ q, source, target })) {
      if (!value) return send(res, 400, { error: `Invalid request: missing ${name} parameter` });
    }
    if (typeof q !== 'string')
      return send(res, 400, { error: 'Invalid request: q must be a string' });
    const size = [...q].length; // Python len(): code points
    if (size > charLimit) {
      return send(res, 400, {
        error: `Invalid request: request (${size}) exceeds text limit (${charLimit})`,
      });
    }
    const from = source === 'auto' ? (/\p{Script=Hangul}/u.test(q) ? 'ko' : 'ru') : source;
    for (const code of [from, target]) {
      if (!LANGUAGES.includes(String(code)))
        return send(res, 400, { error: `${String(code)} is not supported` });
    }
    const translatedText = DICTIONARY[q] ?? `[${String(target)}] ${q}`;
    const detected =
      source === 'auto' ? { detectedLanguage: { confidence: 90, language: from } } : {};
    send(res, 200, { translatedText, ...detected });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://stub').pathname;
    const raw = await readBody(req);
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      if (path === '/translate') return send(res, 400, { error: 'Invalid JSON format' });
    }
    requests.push({ method: req.method ?? 'GET', path, body });

    const current = behaviour;
    if (current.kind === 'hang') return; // never answers; close() drops the socket
    if (current.kind === 'slow') await new Promise((r) => setTimeout(r, current.delayMs));
    if (current.kind === 'fail' && path === '/translate' && current.times > 0) {
      current.times--;
      // The real 500 body echoes the engine's exception, which may include the text.
      const error =
        current.status === 429
          ? 'Slowdown: 1 per 1 minute'
          : `Cannot translate text: ${JSON.stringify(body)}`;
      return send(res, current.status, { error });
    }

    if (req.method === 'POST' && path === '/translate') return translate(res, body);
    if (req.method === 'GET' && path === '/languages') {
      return send(
        res,
        200,
        LANGUAGES.map((code) => ({
          code,
          name: code,
          targets: LANGUAGES.filter((t) => t !== code),
        })),
      );
    }
    if (req.method === 'GET' && path === '/frontend/settings') {
      const version = options.version === undefined ? '1.7.0-stub' : options.version;
      return send(res, 200, {
        charLimit,
        frontendTimeout: 500,
        apiKeys: options.apiKey !== undefined,
        keyRequired: options.apiKey !== undefined,
        suggestions: false,
        filesTranslation: false,
        supportedFilesFormat: [],
        language: {
          source: { code: 'auto', name: 'Auto Detect' },
          target: { code: 'en', name: 'English' },
        },
        ...(version === null ? {} : { version }),
      });
    }
    if (
      req.method === 'GET' &&
      path === '/spec' &&
      options.specVersion !== null &&
      options.specVersion !== undefined
    ) {
      return send(res, 200, {
        swagger: '2.0',
        info: { title: 'LibreTranslate', version: options.specVersion },
      });
    }
    send(res, 404, { error: 'Not Found' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, { error: 'stub failure' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setBehaviour(next) {
      behaviour = { ...next };
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) =>
        server.close((err) => (err ? reject(err) : resolve())),
      );
    },
  };
}
