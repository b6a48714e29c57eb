import { mkdtempSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { createLogger } from '../../core/logger';
import * as c from '../../crypto';
import { composeReviewApp } from '../../server/compose';
import {
  bootstrapAdmin,
  cleanup,
  ok,
  soriUser,
  type SoriUser,
} from '../integration/console/console-harness';
import { makeJpeg, type Fixture } from '../fixtures/make-image';
import { dumpSchema, holdsSecret } from '../integration/review/schema-dump';
import { readRecord, recordsFor, waitFor } from '../integration/worker/worker-fixtures';
import { foreignRequests, launchChromium, recordRequests } from './browser-harness';
import { openPage } from './fixture-page';
import { startStack, type Stack } from './stack';

// The JavaScript path, as a source lives it: a Korean testimony, a photo with GPS and
// questionnaire answers encrypted in Chromium; the server holds ciphertext only; a reviewer
// reads the record; the source comes back on another device with the receipt alone. The app
// demands a proof of work, as in production: the page pays it on every POST that needs one.

const TEXT = '저는 러시아 건설 현장에서 일했습니다. 책임자가 여권을 가져갔습니다. 소리확인문장7731';
const REPLY = '증언을 잘 받았습니다. 안전에 주의하세요.';
const ANSWERS = {
  sector: 'construction',
  hours_per_day: 14,
  passport_held: true,
  surveillance: ['group_travel_only', 'self_criticism'],
};

describe('JS path: submit in the browser, come back with the receipt', () => {
  let stack: Stack;
  let browser: Browser;
  let photo: Fixture;
  let review: Server | undefined;
  let admin: SoriUser | undefined;
  let receipt = '';
  let submissionId = '';
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack({ pow: true }), launchChromium()]);
    photo = await makeJpeg(mkdtempSync(join(tmpdir(), 'sori-photo-')));
    // The review listener and a reviewer at their own machine running `sori`, enrolled
    // before the worker runs so the record is wrapped to them too.
    const app = composeReviewApp({
      pool: stack.app.pool,
      config: stack.app.config,
      log: createLogger({ level: 'silent' }),
    });
    review = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const reviewUrl = `http://127.0.0.1:${(review.address() as AddressInfo).port}`;
    admin = soriUser({ reviewUrl, app: stack.app }, 'reviewer passphrase 한글');
    const keys = (await ok(admin, ['--json', 'keygen', '--name', 'root'])).json<{
      boxPublicKey: string;
      signPublicKey: string;
    }>();
    const boot = await bootstrapAdmin(
      stack.app.db.url,
      'root',
      keys.boxPublicKey,
      keys.signPublicKey,
    );
    expect({ code: boot.code, stderr: boot.stderr }).toEqual({ code: 0, stderr: '' });
    await ok(admin, ['login']);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => {
      if (!review) return resolve();
      review.close(() => resolve());
      review.closeAllConnections();
    });
    await stack?.close();
    if (admin) cleanup([admin.home]);
  });

  it('encrypts text, answers and photo on the device; the server stores ciphertext', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const urls = recordRequests(context);
    const creations: Record<string, string>[] = [];
    const resumes: Record<string, string>[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/v1/uploads')) creations.push(r.headers());
      else if (r.url().includes('/v1/uploads/')) resumes.push(r.headers());
    });
    await openPage(page, stack.app.url);
    const form = page.locator('#submit-form');
    await form.locator('textarea[name=text]').fill(TEXT);
    const questions = form.locator('details#questionnaire > summary');
    if ((await questions.count()) > 0) await questions.click(); // the real page folds them
    await form.locator('input[name=sector][value=construction]').check();
    await form.locator('input[name=hours_per_day]').fill('14');
    await form.locator('input[name=passport_held][value=yes]').check();
    await form.locator('input[name=surveillance][value=group_travel_only]').check();
    await form.locator('input[name=surveillance][value=self_criticism]').check();
    await form.locator('input[name=files]').setInputFiles(photo.path);
    const posted = page.waitForRequest((r) => r.url().endsWith('/v1/submissions'));
    await form.locator('[type=submit]').click();
    const envelope = (await posted).postDataJSON() as c.SubmissionEnvelopeV1;
    await page.waitForSelector('#receipt-result', { timeout: 20_000 });
    receipt = (await page.locator('#receipt-result .receipt span').allTextContents()).join('-');
    expect(receipt).toMatch(/^\d{4}(-\d{4}){4}$/);
    submissionId = envelope.id;

    // What the server got opens with the intake key to exactly what the source typed.
    const { manifest, contentKey } = c.openSubmission(envelope, stack.keys.intake);
    const source = c.deriveSourceKeys(receipt);
    expect(manifest).toMatchObject({ text: TEXT, answers: ANSWERS });
    expect(manifest.sourcePublicKey).toBe(c.toBase64(source.keyPair.publicKey));
    expect(envelope.sourceToken).toBe(c.toBase64(source.token));
    const jpeg = readFileSync(photo.path);
    const [att] = manifest.attachments ?? [];
    expect(att).toMatchObject({ name: 'planted.jpg', type: 'image/jpeg', size: jpeg.length });
    expect(att!.sha256).toBe(c.sha256Hex(jpeg));

    // The stored upload is the browser's ciphertext: it decrypts under the attachment sub-key.
    const chunks: Buffer[] = [];
    for await (const ch of stack.store.read(att!.uploadId)) chunks.push(ch as Buffer);
    const stored = Buffer.concat(chunks);
    expect(stored.length).toBe(c.encryptedFileSize(jpeg.length));
    const dec = new c.FileDecryptor(c.attachmentKey(contentKey, att!.subkeyId));
    expect(Buffer.from(c.concatBytes(...dec.write(stored), ...dec.end())).equals(jpeg)).toBe(true);
    expect(creations).toHaveLength(1);
    expect(Object.keys(creations[0]!)).not.toContain('upload-metadata');
    // The creation paid the proof of work; the PATCHes that followed did not.
    expect(creations[0]!['sori-pow']).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(resumes.length).toBeGreaterThan(0);
    expect(resumes.filter((h) => 'sori-pow' in h)).toEqual([]);

    await expectNoPlaintextStored();
    const storage = await page.evaluate(() => localStorage.length + sessionStorage.length);
    expect([storage, (await context.cookies()).length]).toEqual([0, 0]);
    expect(foreignRequests(urls, stack.app.url)).toEqual([]);
    await context.close();
  });

  it('the worker makes a record the reviewer decrypts', async () => {
    await stack.startWorker();
    const [record] = await waitFor('record', async () => {
      const rows = await recordsFor(stack.app.pool, submissionId);
      return rows.length ? rows : null;
    });
    const { body } = await readRecord(stack.app.pool, record!.id, stack.reviewer);
    expect(body.text).toBe(TEXT);
    expect(body.answers).toEqual(ANSWERS);
    expect(body.sourcePublicKey).toBe(c.toBase64(c.deriveSourceKeys(receipt).keyPair.publicKey));
    await expectNoPlaintextStored();
  });

  it('comes back with the receipt on another device and reads the reply', async () => {
    const [record] = await recordsFor(stack.app.pool, submissionId);
    // The reviewer replies with the real command, as a child process.
    await ok(admin!, ['reply', record!.id, REPLY]);

    const context = await browser.newContext();
    const page = await context.newPage();
    const urls = recordRequests(context);
    const bodies: string[] = [];
    page.on('request', (r) => bodies.push(r.postData() ?? ''));
    await openPage(page, stack.app.url, '/return');
    await page.locator('#return-form input[name=receipt]').fill(receipt.replace(/-/g, ' '));
    await page.locator('#return-form [type=submit]').click();
    const text = page.locator('#replies-result .reply-text');
    await text.waitFor({ timeout: 20_000 });
    expect(await text.allTextContents()).toEqual([REPLY]);
    expect(await page.locator('#status-result li').getAttribute('data-status')).toBe('done');
    // Only the derived token travelled; the receipt itself never left the page.
    expect(bodies.filter((b) => b.includes(receipt.replace(/-/g, '').slice(0, 12)))).toEqual([]);
    expect(foreignRequests(urls, stack.app.url)).toEqual([]);
    await context.close();
  }, 60_000);

  /** Neither the Korean text nor anything planted in the photo is in any column of any table. */
  async function expectNoPlaintextStored(): Promise<void> {
    const secrets = [TEXT, '소리확인문장7731', ...photo.planted].map((s) => c.utf8(s));
    const { values } = await dumpSchema(stack.app.pool, stack.app.db.schema);
    const leaks = values.filter((v) => secrets.some((s) => holdsSecret(v.value, s)));
    expect(leaks.map((l) => l.where)).toEqual([]);
  }
});
