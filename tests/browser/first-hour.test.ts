import type { Browser, BrowserContext, Page } from 'playwright-core';
import en from '../../server/page/messages/en.json';
import ko from '../../server/page/messages/ko.json';
import ru from '../../server/page/messages/ru.json';
import zh from '../../server/page/messages/zh.json';
import { launchChromium } from './browser-harness';
import { openPage } from './fixture-page';
import { startStack, type Stack } from './stack';

// The JavaScript path's first-hour bugs, in Chromium: an empty form refused in the page's
// language, a mistyped receipt answered with how to check it, the receipt brought into view
// with the no-JS page's warnings and its "I have written it down" step, and the device advice,
// quick exit and operator details on the page in all four languages.

const EXIT = 'https://exit.example/';
const ONION = `${'a'.repeat(56)}.onion`;
const CATALOGS = { ko, en, ru, zh } as const;

describe('the source page with JavaScript, the first hour', () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startStack({
        env: {
          ORG_NAME: 'Seoul Documentation Group',
          ORG_CONTACT: 'signal: +82 10 0000 0000',
          ORG_ONION: ONION,
          QUICK_EXIT_URL: EXIT,
        },
      }),
      launchChromium(),
    ]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  beforeEach(async () => {
    // A phone: the receipt would land below the fold.
    context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  });
  afterEach(async () => context.close());

  const submissionsPosted = (page: Page): string[] => {
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/v1/submissions')) posts.push(r.url());
    });
    return posts;
  };

  it.each(['en', 'ru'] as const)(
    'refuses an empty form in the page language (%s)',
    async (lang) => {
      const page = await context.newPage();
      const posts = submissionsPosted(page);
      await openPage(page, stack.app.url, `/?lang=${lang}`);
      // Answers alone are not testimony, as on the no-JS path.
      const questions = page.locator('details#questionnaire > summary');
      if ((await questions.count()) > 0) await questions.click();
      await page.locator('#submit-form input[name=sector][value=construction]').check();
      await page.locator('#submit-form [type=submit]').click();
      const status = page.locator('#submit-status [role=status]');
      await expect(status.textContent()).resolves.toBe(CATALOGS[lang]['js.empty']);
      expect(await page.locator('#submit-form').isVisible()).toBe(true);
      expect(await page.locator('#receipt-result').count()).toBe(0);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('text');
      // Also above the field, where the eye is: the status line is below the fold on a phone.
      const alert = page.locator('#js-form-error[role=alert]');
      expect(await alert.textContent()).toBe(CATALOGS[lang]['js.empty']);
      expect(await alert.isVisible()).toBe(true);
      const inView = await alert.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return r.top >= -1 && r.bottom <= window.innerHeight;
      });
      expect(inView).toBe(true);
      expect(posts).toEqual([]);
    },
  );

  it('says a mistyped receipt found nothing, and how to check the digits', async () => {
    const page = await context.newPage();
    await openPage(page, stack.app.url, '/return?lang=ru');
    await page.locator('#return-form input[name=receipt]').fill('1234 5678 9012 3456 7890');
    await page.locator('#return-form [type=submit]').click();
    const status = page.locator('#return-status [role=status]');
    await status.filter({ hasText: ru['js.notFound'] }).waitFor({ timeout: 20_000 });
    expect(await page.locator('#status-result').count()).toBe(0);
    expect(await page.locator('#replies-result').count()).toBe(0);
  });

  it('brings the receipt into view with the no-JS warnings and the written-down step', async () => {
    const page = await context.newPage();
    await openPage(page, stack.app.url, '/?lang=en');
    await page.locator('#submit-form textarea[name=text]').fill('They kept our passports.');
    await page.locator('#submit-form [type=submit]').click();
    const block = page.locator('#receipt-result');
    await block.waitFor({ timeout: 20_000 });
    const box = await block.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return {
        top: r.top,
        innerHeight: window.innerHeight,
        focused: document.activeElement === el,
      };
    });
    expect(box.top).toBeGreaterThanOrEqual(-1); // sub-pixel rounding
    expect(box.top).toBeLessThan(box.innerHeight / 2);
    expect(box.focused).toBe(true);
    expect(await block.locator('.warnings li').allTextContents()).toEqual([
      en['receipt.warn'],
      en['receipt.use'],
      en['receipt.device'],
    ]);
    expect(await block.locator('.lead').textContent()).toBe(en['receipt.lead']);
    const digits = (await block.locator('.receipt span').allTextContents()).join('-');
    expect(digits).toMatch(/^\d{4}(-\d{4}){4}$/);

    await block.locator('#receipt-done').click();
    expect(await page.locator('#receipt-result').count()).toBe(0);
    expect(await page.content()).not.toContain(digits.split('-')[0]! + digits.split('-')[1]!);
    expect(await page.locator('#submit-form').isVisible()).toBe(true);
    expect(await page.locator('#submit-form textarea[name=text]').inputValue()).toBe('');
  });

  it.each(['ko', 'en', 'ru', 'zh'] as const)(
    'gives device advice, a quick exit and the operator details (%s)',
    async (lang) => {
      const m = CATALOGS[lang];
      const page = await context.newPage();
      await openPage(page, stack.app.url, `/?lang=${lang}`);
      const safety = (await page.locator('#safety').textContent()) ?? '';
      for (const key of ['safety.device', 'safety.private', 'safety.exit'] as const)
        expect(safety).toContain(m[key]);
      expect(await page.locator('#org-name').textContent()).toBe(
        m['org.runBy'].replace('{name}', 'Seoul Documentation Group'),
      );
      expect(await page.locator('#org-contact').textContent()).toBe(
        m['org.contact'].replace('{contact}', 'signal: +82 10 0000 0000'),
      );
      expect(await page.locator('#org-onion .onion').textContent()).toBe(`http://${ONION}/`);
      const exit = page.locator('#quick-exit');
      expect(await exit.textContent()).toBe(m['exit.label']);

      // Leaving replaces the page in the history: Back does not bring Sori back.
      await page.route(EXIT, (route) =>
        route.fulfill({ status: 200, contentType: 'text/html', body: '<p>weather</p>' }),
      );
      await exit.click();
      await page.waitForURL(EXIT);
      await page.goBack().catch(() => null);
      expect(page.url()).not.toContain(stack.app.url);
    },
  );
});
