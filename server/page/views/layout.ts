import { html, jsonDataBlock, type SafeHtml } from '../html';
import { LANG_NAMES, LANGS, scriptMessages, type Lang, type Translate } from '../i18n';

// The frame of every page. The language switch is plain links; the page script (browser/,
// see PAGE.md) is one nonce'd <script src> at the end, present only when the bundle exists.

export interface PageContext {
  lang: Lang;
  t: Translate;
  /** Per response; the CSP header allows exactly this nonce. */
  nonce: string;
  /** Whether /assets/app.js exists: no bundle, no <script> at all. */
  script: boolean;
}

export interface LayoutOptions {
  title: string;
  /** Where the language links lead: the GET page this one belongs to. */
  switchTo: '/' | '/return';
  /** A receipt page hides every link that would navigate away from the receipt. */
  chrome?: boolean;
}

function languageSwitch(ctx: PageContext, path: string): SafeHtml {
  const links = LANGS.map((l) =>
    l === ctx.lang
      ? html`<li>
          <a href="${path}?lang=${l}" lang="${l}" hreflang="${l}" aria-current="true"
            >${LANG_NAMES[l]}</a
          >
        </li>`
      : html`<li><a href="${path}?lang=${l}" lang="${l}" hreflang="${l}">${LANG_NAMES[l]}</a></li>`,
  );
  return html`<nav class="langs" id="lang-switch" aria-label="${ctx.t('lang.label')}">
    <ul>
      ${links}
    </ul>
  </nav>`;
}

function scriptSlot(ctx: PageContext): SafeHtml | null {
  if (!ctx.script) return null;
  return html`<script type="application/json" id="sori-js-messages">
      ${jsonDataBlock(scriptMessages(ctx.lang))}
    </script>
    <script src="/assets/app.js" nonce="${ctx.nonce}" defer></script>`;
}

export function layout(ctx: PageContext, options: LayoutOptions, body: SafeHtml): string {
  const { t, lang } = ctx;
  const chrome = options.chrome !== false;
  const nav = chrome
    ? html`<nav class="pages" aria-label="${t('site.name')}">
        <a href="/?lang=${lang}">${t('nav.submit')}</a>
        <a href="/return?lang=${lang}">${t('nav.return')}</a>
      </nav>`
    : null;
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${options.title} · ${t('site.name')}</title>
        <link rel="stylesheet" href="/assets/page.css" />
      </head>
      <body>
        <header class="site">
          <p class="brand"><span class="name">${t('site.name')}</span></p>
          ${chrome ? languageSwitch(ctx, options.switchTo) : null} ${nav}
        </header>
        <main id="main">${body}</main>
        <footer class="site"><p>${t('footer.privacy')}</p></footer>
        ${scriptSlot(ctx)}
      </body>
    </html> `.value;
}

/** A message box; role=alert so a screen reader says it first. */
export function errorBox(
  ctx: PageContext,
  message: string | null,
  extra?: string,
): SafeHtml | null {
  if (!message) return null;
  return html`<div class="error" id="form-error" role="alert">
    <p><strong>${ctx.t('error.title')}</strong></p>
    <p>${message}</p>
    ${extra ? html`<p>${extra}</p>` : null}
  </div>`;
}
