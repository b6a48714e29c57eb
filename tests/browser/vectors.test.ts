import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { buildBrowserBundle } from '../../browser/build';
import { launchChromium } from './browser-harness';
import { BUNDLE_CSP } from './fixture-page';

// The protocol's test vectors, recomputed by the bundled crypto/ inside Chromium, under the
// page's CSP (WASM allowed, eval not): the browser produces the bytes Node produces.

const ORIGIN = 'http://127.0.0.1:9';
const VECTORS = join(__dirname, '..', 'vectors', 'crypto-v1.json');
const FILE_VECTORS_V2 = join(__dirname, '..', 'vectors', 'crypto-files-v2.json');

describe('crypto vectors in the browser', () => {
  let browser: Browser;
  let bundle: string;
  beforeAll(async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sori-vectors-')), 'vectors.js');
    await buildBrowserBundle(join(__dirname, '..', '..', 'browser', 'vectors-check.ts'), out);
    bundle = readFileSync(out, 'utf8');
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it('recomputes every deterministic section and opens every stored blob', async () => {
    const page = await browser.newPage();
    await page.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/vectors.js')
        return route.fulfill({ contentType: 'text/javascript', body: bundle });
      if (path === '/crypto-v1.json')
        return route.fulfill({ contentType: 'application/json', body: readFileSync(VECTORS) });
      if (path === '/crypto-files-v2.json')
        return route.fulfill({
          contentType: 'application/json',
          body: readFileSync(FILE_VECTORS_V2),
        });
      return route.fulfill({
        contentType: 'text/html',
        headers: { 'content-security-policy': BUNDLE_CSP('v') },
        body: '<!doctype html><script src="/vectors.js" nonce="v"></script>',
      });
    });
    await page.goto(`${ORIGIN}/`);
    await page.waitForFunction(() => 'soriVectors' in window, null, { timeout: 20_000 });
    const outcome = await page.evaluate(
      () => (window as unknown as { soriVectors: unknown }).soriVectors,
    );
    const { results, error } = outcome as {
      results?: Array<{ name: string; ok: boolean }>;
      error?: string;
    };
    expect(error).toBeUndefined();
    expect(results!.filter((r) => !r.ok)).toEqual([]);
    expect(results!.length).toBeGreaterThan(40);
    expect(results!.map((r) => r.name)).toEqual(
      expect.arrayContaining(['receipt.token', 'keyfile', 'file(0)', 'fileV2(0)', 'fileV2(65536)']),
    );
  });
});
