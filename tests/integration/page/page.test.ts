import { messageCatalogs, LANGS } from '../../../server/page/i18n';
import { escapeHtml, html } from '../../../server/page/html';
import { startTestApp, type TestApp } from '../../support/app';
import { CSP, getPage } from './page-fixtures';

// GET / and /return in every language: status, headers, no external anything, translations.

describe('page: rendering', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  it.each(['', '?lang=ko', '?lang=en', '?lang=ru', '?lang=zh'])(
    'GET /%s is a calm page with a strict CSP and nothing external',
    async (query) => {
      const page = await getPage(`${app.url}/${query}`);
      const lang = query ? query.slice(6) : 'ko';
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('set-cookie')).toBeNull();
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      const csp = page.headers.get('content-security-policy') ?? '';
      const nonce = CSP.exec(csp)?.[1];
      expect(nonce).toBeDefined();
      expect(page.html).toContain(`<html lang="${lang}">`);
      // Nothing from another host, spelled any way, but the one link a source taps to leave
      // quickly (QUICK_EXIT_URL): a navigation away, never a resource the page loads.
      const exitLink =
        '<a class="quick-exit" id="quick-exit" href="https://www.bing.com/" rel="noreferrer"';
      expect(page.html).toContain(exitLink);
      const rest = page.html.replace(exitLink, '');
      expect(rest).not.toMatch(/https?:/i);
      expect(rest).not.toMatch(/(?:src|href|action)\s*=\s*["']?\s*\/\//i);
      expect(rest).not.toMatch(/url\(/i);
      // The safety notice comes before the form, and the form has the documented ids.
      expect(page.html.indexOf('id="safety"')).toBeLessThan(page.html.indexOf('id="submit-form"'));
      for (const id of ['submit-form', 'text', 'files', 'questionnaire', 'lang-switch']) {
        expect(page.html).toContain(`id="${id}"`);
      }
      // Scripts: only the bundle, only with this response's nonce, only if it was built.
      const scripts = [...page.html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      const executable = scripts.filter((s) => !s.includes('type="application/json"'));
      for (const s of executable) {
        expect(s).toBe(`<script src="/assets/app.js" nonce="${nonce}" defer>`);
      }
      expect(executable.length).toBeLessThanOrEqual(1);
      expect(page.html).not.toMatch(/\son[a-z]+\s*=/i); // no inline handlers
      expect(page.html).not.toMatch(/style\s*=/i); // no inline styles
    },
  );

  it('draws a fresh nonce for every response', async () => {
    const a = (await getPage(app.url)).headers.get('content-security-policy');
    const b = (await getPage(app.url)).headers.get('content-security-policy');
    expect(a).not.toBe(b);
  });

  it('chooses the language only from the visible switch, never from Accept-Language', async () => {
    const res = await fetch(app.url, { headers: { 'accept-language': 'ru-RU,ru;q=0.9' } });
    expect(await res.text()).toContain('<html lang="ko">');
    const odd = await getPage(`${app.url}/?lang=%3Cscript%3E`);
    expect(odd.status).toBe(200);
    expect(odd.html).toContain('<html lang="ko">');
    expect(odd.html).not.toContain('<script>');
  });

  it('serves the return page and the self-hosted stylesheet', async () => {
    const page = await getPage(`${app.url}/return?lang=ru`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('id="return-form"');
    expect(page.html).toContain('name="receipt"');
    const css = await fetch(`${app.url}/assets/page.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).not.toMatch(/url\(|@import|https?:/i);
  });

  it('sends a bookmarked result URL back to its form', async () => {
    const res = await getPage(`${app.url}/submit?lang=en`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/?lang=en');
  });

  it('has every message key, non-empty, in every language', () => {
    const reference = Object.keys(messageCatalogs.ko).sort();
    for (const lang of LANGS) {
      const catalog = messageCatalogs[lang] as Record<string, string>;
      expect(Object.keys(catalog).sort()).toEqual(reference);
      for (const key of reference) expect(catalog[key]?.trim()).toBeTruthy();
      // Placeholders survive translation.
      for (const key of reference) {
        const names = (s: string) => [...s.matchAll(/\{([a-z]+)\}/g)].map((m) => m[1]).sort();
        expect(names(catalog[key]!)).toEqual(
          names((messageCatalogs.ko as Record<string, string>)[key]!),
        );
      }
    }
  });

  it('escapes every interpolated value', () => {
    const hostile = `"><script>alert('x')</script>&`;
    expect(html`<p title="${hostile}">${hostile}</p>`.value).toBe(
      `<p title="${escapeHtml(hostile)}">${escapeHtml(hostile)}</p>`,
    );
    expect(escapeHtml(hostile)).toBe(
      '&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;',
    );
    expect(html`${[html`<b>${'<i>'}</b>`, '<u>']}`.value).toBe('<b>&lt;i&gt;</b>&lt;u&gt;');
  });
});
