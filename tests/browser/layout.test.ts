import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { foreignRequests, launchChromium, recordRequests } from './browser-harness';
import { openPage } from './fixture-page';
import { startStack, type Stack } from './stack';

// The Korean page on a 360×740 phone: no sideways scrolling, no missing Hangul glyphs, and
// not one request to any host but its own. Screenshots go to SORI_SCREENSHOTS or a tmp dir.

const SHOTS = process.env.SORI_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'sori-shots-'));

/** Hangul drawn in the page's font differs from a char no font has (a tofu box). */
function glyphCheck(page: Page) {
  return page.evaluate(() => {
    const font = getComputedStyle(document.body).fontFamily;
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d')!;
    ctx.font = `32px ${font}`;
    const draw = (s: string) => {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.fillText(s, 0, 40);
      return canvas.toDataURL();
    };
    const tofu = draw('\uFFFF\uFFFF\uFFFF');
    const text = document.body.innerText;
    const hangul = [...new Set(text.match(/[\uAC00-\uD7A3]/g) ?? [])];
    const missing = hangul.filter(
      (ch) => draw(ch.repeat(3)) === tofu || ctx.measureText(ch).width === 0,
    );
    return { font, hangul: hangul.length, korean: draw('한국어') !== tofu, missing };
  });
}

describe('the Korean page at 360 px', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it.each([
    ['submit', '/'],
    ['return', '/return'],
  ])('%s page: no overflow, every glyph drawn, only its own host', async (name, path) => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    const urls = recordRequests(context);
    await openPage(page, stack.app.url, path);
    await page
      .locator('details#questionnaire > summary')
      .click({ timeout: 1000 })
      .catch(() => undefined);
    await page.evaluate(() => document.fonts.ready);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    const glyphs = await glyphCheck(page);
    expect(glyphs).toMatchObject({ korean: true, missing: [] });
    expect(glyphs.hangul).toBeGreaterThan(20);
    await page.screenshot({ path: join(SHOTS, `ko-${name}-360.png`), fullPage: true });
    expect(foreignRequests(urls, stack.app.url)).toEqual([]);
    await context.close();
  });

  afterAll(() => console.log(`screenshots: ${SHOTS}`));
});
