import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { silentLogger } from '../../../core/logger';
import { errorMiddleware } from '../../../server/http/error.middleware';
import { jsonBody } from '../../../server/http/json-body.middleware';

// The JSON routes read their bodies with our own capped reader. Over real HTTP: a body in many
// chunks arrives whole, a chunked body with no length is cut off at the cap, a body refused for
// its size is read off so the same connection serves the next request, and a client that goes
// away mid-body leaves the server serving.

const LIMIT = 1024;

interface Answer {
  status: number;
  body: string;
  reused: boolean;
}

describe('JSON body reader', () => {
  let server: Server;
  let port: number;
  let seen: unknown[] = [];

  beforeAll(async () => {
    const app = express();
    app.post('/echo', ...jsonBody(LIMIT), (req, res) => {
      seen.push(req.body);
      res.status(200).json({ got: req.body as unknown });
    });
    app.use(errorMiddleware(silentLogger));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    seen = [];
  });

  /** Sends the parts one write at a time (chunked unless a content-length is given). */
  function send(parts: Buffer[], headers: Record<string, string | number> = {}, agent?: unknown) {
    return new Promise<Answer>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port,
        path: '/echo',
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        ...(agent ? { agent: agent as never } : {}),
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body, reused: req.reusedSocket }),
        );
      });
      req.on('error', reject);
      if (parts.length === 1) {
        req.end(parts[0]);
        return;
      }
      void (async () => {
        for (const p of parts) {
          req.write(p);
          await new Promise((r) => setTimeout(r, 2));
        }
        req.end();
      })();
    });
  }

  it('joins a body sent in many chunks', async () => {
    const text = JSON.stringify({ text: '증언'.repeat(50) });
    const bytes = Buffer.from(text);
    const parts = Array.from({ length: 7 }, (_, i) =>
      bytes.subarray(Math.floor((i * bytes.length) / 7), Math.floor(((i + 1) * bytes.length) / 7)),
    );
    const res = await send(parts);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ got: JSON.parse(text) });
  });

  it('reads ASCII, UTF-8 and a leading BOM alike, and refuses bytes that are not UTF-8', async () => {
    const ascii = await send([Buffer.from('{"a":"b"}')]);
    expect(JSON.parse(ascii.body)).toEqual({ got: { a: 'b' } });
    const korean = await send([Buffer.from('{"a":"증언"}')]);
    expect(JSON.parse(korean.body)).toEqual({ got: { a: '증언' } });
    const bom = await send([Buffer.from('\uFEFF{"a":1}')]);
    expect(JSON.parse(bom.body)).toEqual({ got: { a: 1 } });
    const latin1 = await send([
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]),
    ]);
    expect([latin1.status, JSON.parse(latin1.body).error.code]).toEqual([400, 'MALFORMED_JSON']);
  });

  it('reads an empty or identity Content-Encoding as none, and refuses any other', async () => {
    for (const encoding of ['', 'identity', 'Identity']) {
      const res = await send([Buffer.from('{"a":1}')], { 'content-encoding': encoding });
      expect([encoding, res.status]).toEqual([encoding, 200]);
    }
    const gzip = await send([Buffer.from('{"a":1}')], { 'content-encoding': 'gzip' });
    expect([gzip.status, JSON.parse(gzip.body)]).toEqual([
      415,
      { error: expect.objectContaining({ code: 'UNSUPPORTED_MEDIA_TYPE' }) },
    ]);
  });

  it('refuses a chunked body once it passes the cap, without a declared length', async () => {
    const chunk = Buffer.from(`"${'a'.repeat(300)}"`);
    const res = await send([chunk, chunk, chunk, chunk]);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.code).toBe('BODY_TOO_LARGE');
    expect(seen).toEqual([]);
  });

  it('reads off a refused body, so the connection serves the next request', async () => {
    const { Agent } = await import('node:http');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const big = Buffer.alloc(LIMIT * 4, 0x20);
      const first = await send([big], { 'content-length': big.length }, agent);
      expect(first.status).toBe(413);
      const second = await send([Buffer.from('{"ok":true}')], {}, agent);
      expect(second.status).toBe(200);
      expect(second.reused).toBe(true);
      expect(JSON.parse(second.body)).toEqual({ got: { ok: true } });
    } finally {
      agent.destroy();
    }
  });

  it('keeps serving after a client goes away mid-body', async () => {
    await new Promise<void>((resolve) => {
      const req = request({
        host: '127.0.0.1',
        port,
        path: '/echo',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': 500 },
      });
      req.on('error', () => resolve());
      req.write('{"text":"');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 20);
    });
    const res = await send([Buffer.from('[1,2]')]);
    expect([res.status, res.body]).toEqual([200, '{"got":[1,2]}']);
    expect(seen).toEqual([[1, 2]]);
  });
});
