import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import * as c from '../../crypto';
import { makeJpeg, type Fixture } from '../fixtures/make-image';
import { dumpSchema, holdsSecret } from '../integration/review/schema-dump';
import { readRecord, recordsFor, waitFor } from '../integration/worker/worker-fixtures';
import { foreignRequests, launchChromium, recordRequests } from './browser-harness';
import { hasRealPage, openPage } from './fixture-page';
import { startStack, type Stack } from './stack';

// Coming back on the JS path to add more: the receipt derives the keys in the browser, the
// added text and photo are encrypted there and posted as a new submission under the same
// source token. The server never sees that plaintext (no /return/reply post), and a reviewer
// reads it from the record the worker makes.

const FIRST = '처음 보낸 증언입니다. 숙소는 컨테이너였습니다.';
const ADDED = '덧붙이는 증언: 임금의 절반을 충성자금으로 가져갔습니다. 더함확인4417';

describe('JS path: adding more testimony with the receipt', () => {
  let stack: Stack;
  let browser: Browser;
  let photo: Fixture;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
    photo = await makeJpeg(mkdtempSync(join(tmpdir(), 'sori-photo-')));
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('encrypts the addition on the device; a reviewer decrypts it', async () => {
    if (!(await hasRealPage(stack.app.url))) return; // the return page is server/page/
    // A case to add to (the plain form is the quickest way to get a receipt here).
    const first = new FormData();
    first.append('text', FIRST);
    const res = await fetch(`${stack.app.url}/submit?lang=ko`, { method: 'POST', body: first });
    const html = await res.text();
    const receipt = [...html.matchAll(/<span class="group">(\d{4})<\/span>/g)]
      .map((m) => m[1])
      .join('-');
    expect(receipt).toMatch(/^\d{4}(-\d{4}){4}$/);
    const source = c.deriveSourceKeys(receipt);

    const context = await browser.newContext();
    const page = await context.newPage();
    const urls = recordRequests(context);
    const sent: { url: string; body: Buffer }[] = [];
    page.on('request', (r) =>
      sent.push({ url: r.url(), body: r.postDataBuffer() ?? Buffer.alloc(0) }),
    );
    await openPage(page, stack.app.url, '/return');
    await page.locator('#return-form input[name=receipt]').fill(receipt);
    await page.locator('#return-form [type=submit]').click();
    const add = page.locator('#add-form');
    await add.waitFor({ timeout: 20_000 });
    await add.locator('textarea[name=text]').fill(ADDED);
    await add.locator('input[name=files]').setInputFiles(photo.path);
    await add.locator('input[name=receipt]').fill(receipt.replace(/-/g, ' '));
    const posted = page.waitForRequest(
      (r) => r.method() === 'POST' && r.url().endsWith('/v1/submissions'),
    );
    await add.locator('[type=submit]').click();
    const envelope = (await posted).postDataJSON() as c.SubmissionEnvelopeV1;
    await add.waitFor({ state: 'hidden', timeout: 20_000 });

    // Same source token, same source key; the intake key opens what the source typed.
    expect(envelope.sourceToken).toBe(c.toBase64(source.token));
    const { manifest, contentKey } = c.openSubmission(envelope, stack.keys.intake);
    expect(manifest.text).toBe(ADDED);
    expect(manifest.sourcePublicKey).toBe(c.toBase64(source.keyPair.publicKey));
    const jpeg = readFileSync(photo.path);
    const [att] = manifest.attachments ?? [];
    expect(att).toMatchObject({
      name: 'planted.jpg',
      size: jpeg.length,
      sha256: c.sha256Hex(jpeg),
    });
    const chunks: Buffer[] = [];
    for await (const ch of stack.store.read(att!.uploadId)) chunks.push(ch as Buffer);
    const dec = new c.FileDecryptor(c.attachmentKey(contentKey, att!.subkeyId));
    const stored = Buffer.concat(chunks);
    expect(Buffer.from(c.concatBytes(...dec.write(stored), ...dec.end())).equals(jpeg)).toBe(true);

    // Nothing went the plain way, and no request carried the text, the photo or the receipt.
    expect(sent.filter((s) => s.url.includes('/return/reply'))).toEqual([]);
    const secrets = [ADDED, '더함확인4417', receipt.replace(/-/g, '').slice(0, 12)].map((s) =>
      Buffer.from(s),
    );
    secrets.push(jpeg.subarray(jpeg.length / 2, jpeg.length / 2 + 48));
    expect(sent.filter((s) => secrets.some((x) => s.body.includes(x))).map((s) => s.url)).toEqual(
      [],
    );
    expect(foreignRequests(urls, stack.app.url)).toEqual([]);

    // Both submissions belong to one case.
    const { rows } = await stack.app.pool.query<{ h: Buffer }>(
      'SELECT DISTINCT source_token_hash AS h FROM submissions',
    );
    expect(rows.map((r) => Buffer.from(r.h).equals(Buffer.from(source.tokenHash)))).toEqual([true]);

    await stack.startWorker();
    const [record] = await waitFor('record', async () => {
      const found = await recordsFor(stack.app.pool, envelope.id);
      return found.length ? found : null;
    });
    const { body } = await readRecord(stack.app.pool, record!.id, stack.reviewer);
    expect(body.text).toBe(ADDED);
    expect(body.sourcePublicKey).toBe(c.toBase64(source.keyPair.publicKey));

    const plain = [ADDED, '더함확인4417', ...photo.planted].map((s) => c.utf8(s));
    const { values } = await dumpSchema(stack.app.pool, stack.app.db.schema);
    expect(
      values.filter((v) => plain.some((s) => holdsSecret(v.value, s))).map((v) => v.where),
    ).toEqual([]);
    await context.close();
  });
});
