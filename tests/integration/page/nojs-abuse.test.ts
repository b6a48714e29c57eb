import { request, type ClientRequest } from 'node:http';
import { insertTestIntakeKey, startTestApp, type TestApp } from '../../support/app';
import { waitFor } from '../../support/wait';
import { postForm, postRaw, receiptFrom, type Page } from './page-fixtures';

// Issue 11: the no-JS path must not be cheap to shut. Two attacks against the real public app
// over real HTTP, each with a legitimate no-JS submission in the middle of it:
// - a flood of junk posts refused before any work (415, malformed, empty, bad receipt) must not
//   spend the global per-minute budget;
// - slow trickling uploads must not hold every body place: places go to bodies that move.
// Limits and windows are shrunk so each attack runs in a second or two.

jest.setTimeout(30_000);

function testimony(text: string, file?: Buffer): FormData {
  const form = new FormData();
  form.append('lang', 'en');
  form.append('text', text);
  if (file) form.append('files', new Blob([new Uint8Array(file)]), 'evidence.txt');
  return form;
}

function expectReceipt(page: Page): void {
  expect([page.status, page.headers.get('x-sori-error')]).toEqual([200, null]);
  expect(receiptFrom(page.html)).toMatch(/^\d{4}(-\d{4}){4}$/);
}

const BOUNDARY = 'sori-abuse-boundary';

/** One junk post of several kinds, all refused before any derivation. */
function junk(url: string, n: number): Promise<Page> {
  switch (n % 5) {
    case 0:
      return postRaw(`${url}/submit?lang=en`, 'text/plain', 'junk');
    case 1:
      return postRaw(`${url}/return/reply?lang=en`, 'application/json', '{"a":1}');
    case 2:
      return postRaw(
        `${url}/submit?lang=en`,
        `multipart/form-data; boundary=${BOUNDARY}`,
        `--${BOUNDARY}\r\ngarbage without headers\r\n`,
      );
    case 3:
      return postForm(`${url}/submit?lang=en`, testimony('   ')); // nothing to send
    default:
      return postForm(`${url}/return?lang=en`, new URLSearchParams({ receipt: '12-34' }));
  }
}

describe('no-JS path under a flood of junk posts', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ page: { nojsGate: { perMinute: 3, minPerMinute: 1 } } });
    await insertTestIntakeKey(app.pool);
  });
  afterAll(async () => app?.close());

  it('refuses the junk without spending the budget, and a real submission gets through', async () => {
    const statuses: number[] = [];
    let stop = false;
    // Eight connections sending junk back to back, for as long as the legitimate post takes.
    const flood = Array.from({ length: 8 }, async (_, lane) => {
      for (let n = lane; !stop || n < lane + 40; n += 8) {
        statuses.push((await junk(app.url, n)).status);
      }
    });
    while (statuses.length < 40) await new Promise((r) => setTimeout(r, 10));
    const legit = await postForm(`${app.url}/submit?lang=en`, testimony('a real testimony'));
    stop = true;
    await Promise.all(flood);
    expectReceipt(legit);
    // Over ten times the budget, every one a 4xx of its own (none busy, none an internal error).
    expect(statuses.length).toBeGreaterThanOrEqual(40);
    expect(new Set(statuses)).toEqual(new Set([400, 415]));
    // The budget is still there for the next two.
    expectReceipt(await postForm(`${app.url}/submit?lang=en`, testimony('a second one')));
    const { rows } = await app.pool.query('SELECT count(*)::int AS n FROM submissions');
    expect(rows[0].n).toBe(2);
  });
});

/** A multipart upload that sends `bytes` every `everyMs` until told to stop. */
function trickle(url: string, bytes: number, everyMs: number) {
  const req: ClientRequest = request(`${url}/submit?lang=en`, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
  });
  req.on('error', () => undefined); // cut by the server, as intended
  const answered = new Promise<{ status: number; code: string | null }>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      resolve({
        status: res.statusCode ?? 0,
        code: (res.headers['x-sori-error'] as string | undefined) ?? null,
      });
    });
    req.on('close', () => resolve({ status: 0, code: null }));
  });
  req.write(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="text"\r\n\r\nslow\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n` +
      `Content-Type: text/plain\r\n\r\n`,
  );
  const timer = setInterval(() => {
    if (!req.destroyed) req.write(Buffer.alloc(bytes, 'x'));
  }, everyMs);
  return {
    answered,
    stop() {
      clearInterval(timer);
      req.destroy();
    },
  };
}

describe('no-JS path under slow trickling uploads', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      page: {
        nojsGate: {
          bodies: 4,
          perMinute: 1000,
          bodyWindowMs: 300,
          bodyMinRate: 512, // bytes/s while places are plentiful
          bodyScarceMinRate: 32 * 1024, // bytes/s once they are all taken
        },
      },
    });
    await insertTestIntakeKey(app.pool);
  });
  afterAll(async () => app?.close());

  it('gives the places to bodies that move: a real upload gets in, the tricklers are let go', async () => {
    // Twelve connections at ~2 KB/s (the attack, at test scale): four take the places.
    const slow = Array.from({ length: 12 }, () => trickle(app.url, 200, 100));
    try {
      await new Promise((r) => setTimeout(r, 700)); // a couple of windows: they are measured
      const file = Buffer.alloc(256 * 1024, 'e');
      const legit = await postForm(`${app.url}/submit?lang=en`, testimony('over slow Tor', file));
      expectReceipt(legit);

      // The full house asked 32 KB/s of them: they were let go (408) or never seated (503).
      // (One that connects late, to a nearly empty house, may keep trickling: at the floor's
      // rate that is allowed while places are plentiful.)
      const settled: Array<{ status: number; code: string | null }> = [];
      for (const s of slow) void s.answered.then((a) => settled.push(a));
      await waitFor('a trickler let go', async () => settled.some((a) => a.status === 408));
      for (const a of settled.filter((x) => x.status !== 0)) {
        expect([a.status, a.code]).toEqual(
          a.status === 408 ? [408, 'UPLOAD_TOO_SLOW'] : [503, 'PAGE_BUSY'],
        );
      }
    } finally {
      for (const s of slow) s.stop();
    }
    // Only the real one was stored; the tricklers' drafts were deleted.
    const { rows } = await app.pool.query('SELECT count(*)::int AS n FROM submissions');
    expect(rows[0].n).toBe(1);
    await waitFor('the drafts deleted', async () => {
      const { rows: blobs } = await app.pool.query(
        `SELECT count(*)::int AS n FROM blobs WHERE submission_id IS NULL`,
      );
      return blobs[0].n === 0;
    });
  });

  it('a source gets in while every place is held by a slow body', async () => {
    // Exactly as many tricklers as places (tests/unit/server/body-slots.test.ts pins down which
    // one goes first, with a clock of its own).
    const slow = Array.from({ length: 4 }, () => trickle(app.url, 150, 100));
    try {
      await new Promise((r) => setTimeout(r, 700));
      const legit = await postForm(`${app.url}/submit?lang=en`, testimony('while they trickle'));
      expectReceipt(legit);
      const first = await Promise.race(slow.map((s) => s.answered));
      expect(first).toEqual({ status: 408, code: 'UPLOAD_TOO_SLOW' });
    } finally {
      for (const s of slow) s.stop();
    }
  });
});
