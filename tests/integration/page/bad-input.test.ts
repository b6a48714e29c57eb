import { questionnaire } from '../../../core/questionnaire';
import { insertTestIntakeKey, startTestApp, type TestApp } from '../../support/app';
import { postForm, postRaw, type Page } from './page-fixtures';

// Every way the no-JS forms can be wrong gets its form back with a clear message and a 4xx,
// never a 500, and nothing is stored.

const MAX_TEXT = 2000;
const MAX_UPLOAD = 200_000; // ciphertext: three 64 KiB frames of file format v2
const MAX_SUBMISSION = 1_000_000;

function form(entries: [string, string | Blob, string?][]): FormData {
  const f = new FormData();
  for (const [name, value, filename] of entries) {
    if (typeof value === 'string') f.append(name, value);
    else f.append(name, value, filename);
  }
  return f;
}

const file = (bytes: number) => new Blob([new Uint8Array(bytes).fill(7)], { type: 'image/jpeg' });

function expectRefused(page: Page, status: number, message: string) {
  expect(page.status).toBe(status);
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(page.html).toContain('role="alert"');
  expect(page.html).toContain(message);
}

describe('page: refused input', () => {
  let app: TestApp;
  let submit: string;
  beforeAll(async () => {
    app = await startTestApp({
      env: {
        MAX_TEXT_BYTES: String(MAX_TEXT),
        MAX_UPLOAD_BYTES: String(MAX_UPLOAD),
        MAX_SUBMISSION_UPLOAD_BYTES: String(MAX_SUBMISSION),
      },
    });
    submit = `${app.url}/submit?lang=en`;
  });
  afterAll(async () => app.close());

  it('says "try later" (503) while no intake key exists, and stores nothing', async () => {
    const page = await postForm(submit, form([['text', 'hello']]));
    expectRefused(page, 503, 'We cannot receive anything right now.');
    expect(page.headers.get('retry-after')).toBe('30');
    await insertTestIntakeKey(app.pool);
  });

  it('asks for something to send when there is neither text nor a file', async () => {
    expectRefused(await postForm(submit, form([['text', '']])), 400, 'Please write something');
    expectRefused(await postForm(submit, form([['text', ' \n ']])), 400, 'Please write something');
    const emptyInput = form([
      ['text', ''],
      ['files', new Blob([]), ''],
    ]);
    expectRefused(await postForm(submit, emptyInput), 400, 'Please write something');
  });

  it('refuses a text over MAX_TEXT_BYTES with 413', async () => {
    const page = await postForm(submit, form([['text', '가'.repeat(MAX_TEXT)]]));
    expectRefused(page, 413, 'The text is too long.');
  });

  it('counts all fields together: many fields each under the cap are refused too', async () => {
    // Each answer fits on its own; together they are several times the text limit.
    const fields: [string, string][] = Array.from({ length: 8 }, (_, i) => [
      `q${i}`,
      'x'.repeat(MAX_TEXT - 10),
    ]);
    const page = await postForm(submit, form([['text', '증언'], ...fields]));
    expectRefused(page, 413, 'The text is too long.');
  });

  it('refuses a file over the per-file or per-submission limit with 413, read or not', async () => {
    const over = form([
      ['text', 'x'],
      ['files', file(MAX_UPLOAD), 'big.jpg'],
    ]);
    const page = await postForm(submit, over);
    // The largest plaintexts whose v2 ciphertext fits: 196 607 bytes (three frames) and 983 039.
    expectRefused(
      page,
      413,
      'Each file can be up to 0.18 MB, and all of them together up to 0.93 MB.',
    );
    expect(page.html).toContain('please choose them again.');
    const several = form([['text', 'x']]);
    // Each fits (131 131 bytes sealed), the eighth goes over the submission's 1 000 000.
    for (let i = 0; i < 8; i++) several.append('files', file(130_000), `f${i}.jpg`);
    expectRefused(await postForm(submit, several), 413, 'Each file can be up to');
    // Announced beyond what the form could ever take: refused before it is read.
    const huge = await postForm(submit, form([['files', file(3 * 1024 * 1024), 'huge.jpg']]));
    expectRefused(huge, 413, 'all of them together up to');
    expect(huge.headers.get('connection')).toBe('close');
  });

  it('refuses more than 10 files', async () => {
    const entries: [string, string | Blob, string?][] = [['text', 'x']];
    for (let i = 0; i < 11; i++) entries.push(['files', file(10), `f${i}.jpg`]);
    expectRefused(await postForm(submit, form(entries)), 413, 'up to 10 files');
  });

  it.each([
    ['application/json', '{"text":"x"}'],
    ['text/plain', 'text=x'],
    ['application/x-www-form-urlencoded', 'text=x'],
  ])('refuses %s with 415', async (type, body) => {
    expectRefused(await postRaw(submit, type, body), 415, 'The form could not be read.');
  });

  it('refuses malformed multipart with 400', async () => {
    const truncated = '--b\r\nContent-Disposition: form-data; name="text"\r\n\r\nhello';
    expectRefused(
      await postRaw(submit, 'multipart/form-data; boundary=b', truncated),
      400,
      'reload',
    );
    const noBoundary = await postRaw(submit, 'multipart/form-data', '--b\r\n\r\n');
    expectRefused(noBoundary, 400, 'The form could not be read.');
    const garbage = await postRaw(
      submit,
      'multipart/form-data; boundary=b',
      Buffer.alloc(500, 0xff),
    );
    expect(garbage.status).toBeGreaterThanOrEqual(400);
    expect(garbage.status).toBeLessThan(500);
  });

  it('names the question whose answer it cannot read, and keeps what was written', async () => {
    const questions = questionnaire.sections.flatMap((s) => s.questions);
    const single = questions.find((q) => q.type === 'single')!;
    const number = questions.find((q) => q.type === 'number')!;
    const yesno = questions.find((q) => q.type === 'yesno')!;
    for (const [q, value] of [
      [single, 'no-such-option'],
      [number, 'abc'],
      [yesno, 'maybe'],
    ] as const) {
      const page = await postForm(
        submit,
        form([
          ['text', '<my words>'],
          [q.id, value],
        ]),
      );
      expectRefused(page, 400, 'could not be read');
      expect(page.html).toContain(q.label.en.replace(/'/g, '&#39;'));
      expect(page.html).toContain('&lt;my words&gt;</textarea>');
    }
  });

  it('refuses a receipt that is not 20 digits, and odd bodies, on /return', async () => {
    const url = `${app.url}/return?lang=en`;
    for (const receipt of ['', '1234', '1234-5678-9012-3456-789x', 'x'.repeat(500)]) {
      const page = await postForm(url, new URLSearchParams({ receipt }));
      expectRefused(page, 400, 'A receipt number is 20 digits.');
      expect(page.html).toContain('id="return-form"');
    }
    expectRefused(await postRaw(url, 'application/json', '{"receipt":1}'), 400, '20 digits');
    const big = await postRaw(
      url,
      'application/x-www-form-urlencoded',
      `receipt=${'1'.repeat(9000)}`,
    );
    expectRefused(big, 413, 'The form could not be read.');
    const reply = await postForm(
      `${app.url}/return/reply?lang=en`,
      form([
        ['text', 'hi'],
        ['receipt', '12'],
      ]),
    );
    expectRefused(reply, 400, 'A receipt number is 20 digits.');
    expect(reply.html).toContain('id="add-form"');
  });

  it('stored nothing for any of it', async () => {
    const { rows } = await app.pool.query(
      `SELECT (SELECT count(*) FROM submissions)::int AS s, (SELECT count(*) FROM blobs)::int AS b`,
    );
    expect(rows[0]).toEqual({ s: 0, b: 0 });
  });
});
