import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import * as c from '../../crypto';
import { makeJpeg } from '../fixtures/make-image';
import { dumpSchema, holdsSecret } from '../integration/review/schema-dump';
import { readRecord, waitFor } from '../integration/worker/worker-fixtures';
import { foreignRequests, launchChromium, recordRequests } from './browser-harness';
import { hasRealPage } from './fixture-page';
import { startStack, type Stack } from './stack';

// JavaScript disabled (Tor Browser "Safest"): the plain multipart form. The server seals on
// arrival; what it stores is still ciphertext, and the reviewer reads the same testimony.

const TEXT =
  '자바스크립트 없이 보낸 증언입니다. 벌목장에서 하루 열여섯 시간 일했습니다. 무자바8842';

describe('no-JS path: the plain form', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('submits text, answers and a photo; only ciphertext is stored; a reviewer reads it', async () => {
    if (!(await hasRealPage(stack.app.url))) return; // the server-rendered form is server/page/
    const photo = await makeJpeg(mkdtempSync(join(tmpdir(), 'sori-photo-')));
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const urls = recordRequests(context);
    await page.goto(`${stack.app.url}/`);
    const form = page.locator('#submit-form');
    await form.locator('textarea[name=text]').fill(TEXT);
    await form.locator('details#questionnaire > summary').click();
    await form.locator('input[name=sector][value=logging]').check();
    await form.locator('input[name=hours_per_day]').fill('16');
    await form.locator('input[name=files]').setInputFiles(photo.path);
    await form.locator('[type=submit]').click();
    const digits = await page.locator('#receipt .group').allTextContents();
    expect(digits.join('-')).toMatch(/^\d{4}(-\d{4}){4}$/);

    const secrets = [TEXT, '무자바8842', ...photo.planted].map((s) => c.utf8(s));
    const leaks = async () =>
      (await dumpSchema(stack.app.pool, stack.app.db.schema)).values
        .filter((v) => secrets.some((s) => holdsSecret(v.value, s)))
        .map((v) => v.where);
    expect(await leaks()).toEqual([]);

    await stack.startWorker();
    const recordId = await waitFor('record', async () => {
      const { rows } = await stack.app.pool.query<{ id: string }>(`SELECT id FROM records`);
      return rows[0]?.id;
    });
    const { body } = await readRecord(stack.app.pool, recordId, stack.reviewer);
    expect(body.text).toBe(TEXT);
    expect(body.answers).toEqual({ sector: 'logging', hours_per_day: 16 });
    expect(body.sourcePublicKey).toBe(
      c.toBase64(c.deriveSourceKeys(digits.join('-')).keyPair.publicKey),
    );
    expect(await leaks()).toEqual([]);
    expect(foreignRequests(urls, stack.app.url)).toEqual([]);
  });
});
