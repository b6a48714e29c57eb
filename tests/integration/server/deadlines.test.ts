import { request, type IncomingMessage } from 'node:http';
import { insertTestIntakeKey, startTestApp, type TestApp } from '../../support/app';
import { pagesWith } from '../page/page-fixtures';

// Slow bodies. Every route but the no-JS form must have its whole request within
// REQUEST_TIMEOUT_MS (408 REQUEST_TIMEOUT, as Node's own requestTimeout did). The no-JS form
// may take as long as its file needs, but a body that stops arriving fails its progress check
// (408 UPLOAD_TOO_SLOW, the form page again) and leaves nothing stored.

const BOUNDARY = 'sori-deadline-boundary';
const head = Buffer.from(
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="text"\r\n\r\n느린 증언\r\n` +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n` +
    `Content-Type: text/plain\r\n\r\n`,
);
const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);

interface Answer {
  status: number;
  code: string | undefined;
  body: string;
}

function open(url: string, headers: Record<string, string>) {
  const req = request(url, { method: 'POST', headers });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('response', (res: IncomingMessage) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          code: res.headers['x-sori-error'] as string | undefined,
          body: Buffer.concat(parts).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
  });
  return { req, answer };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('deadlines on slow request bodies', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { REQUEST_TIMEOUT_MS: '400' } });
    await insertTestIntakeKey(app.pool);
  });
  afterAll(async () => app?.close());

  it('a JSON body that does not arrive in time: 408 REQUEST_TIMEOUT', async () => {
    const { req, answer } = open(`${app.url}/v1/submissions`, {
      'content-type': 'application/json',
      'content-length': '1000',
    });
    req.write('{"v":1,');
    const got = await answer;
    req.destroy();
    expect(got.status).toBe(408);
    expect(JSON.parse(got.body)).toEqual({
      error: { code: 'REQUEST_TIMEOUT', message: expect.any(String) },
    });
  });

  it('the no-JS form is not held to it: a body paused longer still goes through', async () => {
    const { req, answer } = open(`${app.url}/submit?lang=ko`, {
      'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
    });
    req.write(head);
    req.write(Buffer.alloc(100_000, 'a'));
    await sleep(1_000); // 2.5× REQUEST_TIMEOUT_MS
    req.end(Buffer.concat([Buffer.alloc(100_000, 'b'), tail]));
    const got = await answer;
    expect(got.status).toBe(200);
    expect(got.body).toContain('id="receipt"');
  });

  it('a no-JS body that stalls fails its progress check: 408 UPLOAD_TOO_SLOW, nothing kept', async () => {
    const pages = await pagesWith(app, {
      formProgress: { windowMs: 300, minBytes: 64 * 1024 },
    });
    try {
      const before = await app.pool.query('SELECT count(*)::int AS n FROM blobs');
      const { req, answer } = open(`${pages.url}/submit?lang=en`, {
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      });
      req.on('error', () => undefined);
      req.write(head);
      req.write(Buffer.alloc(200_000, 'a')); // then nothing more
      const got = await answer;
      req.destroy();
      expect([got.status, got.code]).toEqual([408, 'UPLOAD_TOO_SLOW']);
      expect(got.body).toContain('too slow');
      const after = await app.pool.query('SELECT count(*)::int AS n FROM blobs');
      expect(after.rows[0].n).toBe(before.rows[0].n);
    } finally {
      await pages.close();
    }
  });
});
