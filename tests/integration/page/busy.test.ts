import { request } from 'node:http';
import { insertTestIntakeKey, startTestApp, type TestApp } from '../../support/app';
import { pagesWith, postForm, receiptFrom, type Page } from './page-fixtures';

// The no-JS posts cannot solve a proof of work: a small gate (a few derivations at once, a
// short queue, a cap on form bodies read at once, a budget per minute) turns the excess away with a calm 503 page in the page's language,
// never JSON and never an internal error, and normal posts keep working.

const BUSY_KO = '1분쯤 뒤에 다시 보내 주세요';
const BUSY_EN = 'try again in a minute';

function testimony(text: string): FormData {
  const form = new FormData();
  form.append('lang', 'ko');
  form.append('text', text);
  return form;
}

function expectBusyPage(page: Page, phrase: string): void {
  expect(page.status).toBe(503);
  expect(page.headers.get('retry-after')).toBe('60');
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  expect(page.html).toContain('id="form-error"');
  expect(page.html).toContain(phrase);
  expect(page.html).not.toMatch(/INTERNAL|"error"\s*:/);
}

describe('page: the no-JS posts are gated without identifying anyone', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    await insertTestIntakeKey(app.pool);
  });
  afterAll(async () => app?.close());

  it('saturating the gate gives the busy page (503, Retry-After), then posts work again', async () => {
    const pages = await pagesWith(app, {
      nojsGate: { concurrency: 1, bodies: 2, perMinute: 1000 },
    });
    try {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          postForm(`${pages.url}/submit?lang=ko`, testimony(`동시에 보낸 증언 ${i}`)),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
      const busy = results.filter((r) => r.status === 503);
      expect(busy.length).toBeGreaterThanOrEqual(1);
      for (const page of busy) expectBusyPage(page, BUSY_KO);
      // Every accepted one was stored, no refused one was.
      const { rows } = await app.pool.query('SELECT count(*)::int AS n FROM submissions');
      const before = rows[0].n as number;
      expect(before).toBe(statuses.filter((s) => s === 200).length);

      // The gate drained: a normal post goes through and shows a receipt.
      const after = await postForm(`${pages.url}/submit?lang=ko`, testimony('다시 보낸 증언'));
      expect(after.status).toBe(200);
      expect(receiptFrom(after.html)).toMatch(/^\d{4}(-\d{4}){4}$/);
    } finally {
      await pages.close();
    }
  });

  it('a slow upload holds no derivation slot: other posts go through while it streams', async () => {
    const pages = await pagesWith(app, { nojsGate: { concurrency: 1, queue: 0, perMinute: 1000 } });
    try {
      // A multipart body sent by hand: the text and the start of a file, then a pause.
      const boundary = 'sori-slow-upload-boundary';
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="lang"\r\n\r\nko\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\n느린 연결의 증언\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="note.txt"\r\n` +
          `Content-Type: text/plain\r\n\r\n`,
      );
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      const slow = request(`${pages.url}/submit?lang=ko`, {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      const slowDone = new Promise<number>((resolve, reject) => {
        slow.on('response', (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        });
        slow.on('error', reject);
      });
      slow.write(head);
      slow.write(Buffer.alloc(300_000, '가'));

      // With the one slot held by the upload, this would wait (queue 0: busy at once).
      const meanwhile = await postForm(`${pages.url}/submit?lang=ko`, testimony('그 사이의 증언'));
      expect(meanwhile.status).toBe(200);
      expect(receiptFrom(meanwhile.html)).toMatch(/^\d{4}(-\d{4}){4}$/);

      slow.end(Buffer.concat([Buffer.alloc(100_000, '나'), tail]));
      expect(await slowDone).toBe(200);
    } finally {
      await pages.close();
    }
  });

  it('caps the form bodies read at once', async () => {
    const pages = await pagesWith(app, { nojsGate: { bodies: 1, perMinute: 1000 } });
    try {
      const boundary = 'sori-open-body-boundary';
      const open = request(`${pages.url}/submit?lang=en`, {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      open.on('error', () => undefined); // cut when the listener closes
      open.write(`--${boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\n`);
      await new Promise((r) => setTimeout(r, 200)); // the server has taken the body's place
      expectBusyPage(await postForm(`${pages.url}/submit?lang=en`, testimony('second')), BUSY_EN);
      open.destroy();
    } finally {
      await pages.close();
    }
  });

  it('a queue that waits too long is told to come back, in the page language', async () => {
    const pages = await pagesWith(app, {
      nojsGate: { concurrency: 1, queue: 8, queueTimeoutMs: 1 },
    });
    try {
      const results = await Promise.all(
        Array.from({ length: 4 }, () =>
          postForm(
            `${pages.url}/return?lang=en`,
            new URLSearchParams({ receipt: '1234-5678-9012-3456-7890', lang: 'en' }),
          ),
        ),
      );
      const statuses = results.map((r) => r.status);
      // A receipt with no case is a status page (200); the rest waited past the timeout.
      expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
      expect(statuses).toContain(503);
      for (const page of results.filter((r) => r.status === 503)) expectBusyPage(page, BUSY_EN);
    } finally {
      await pages.close();
    }
  });

  it('a per-minute budget caps the no-JS posts across everyone, the reply form included', async () => {
    const pages = await pagesWith(app, { nojsGate: { perMinute: 2, minPerMinute: 1 } });
    try {
      const first = await postForm(`${pages.url}/submit?lang=ko`, testimony('예산 안의 증언'));
      expect(first.status).toBe(200);
      const receipt = receiptFrom(first.html)!;
      const reply = testimony('덧붙이는 증언');
      reply.append('receipt', receipt);
      expect((await postForm(`${pages.url}/return/reply?lang=ko`, reply)).status).toBe(200);
      const over = testimony('예산을 넘은 증언');
      over.append('receipt', receipt);
      expectBusyPage(await postForm(`${pages.url}/return/reply?lang=ko`, over), BUSY_KO);
    } finally {
      await pages.close();
    }
  });

  it('a form refused before its derivation gives its unit back', async () => {
    const pages = await pagesWith(app, { nojsGate: { perMinute: 1, minPerMinute: 1 } });
    try {
      const empty = new FormData();
      empty.append('lang', 'ko');
      empty.append('text', '   ');
      expect((await postForm(`${pages.url}/submit?lang=ko`, empty)).status).toBe(400);
      const real = await postForm(`${pages.url}/submit?lang=ko`, testimony('빈 양식 뒤의 증언'));
      expect(real.status).toBe(200);
      expectBusyPage(await postForm(`${pages.url}/submit?lang=ko`, testimony('넘침')), BUSY_KO);
    } finally {
      await pages.close();
    }
  });
});
