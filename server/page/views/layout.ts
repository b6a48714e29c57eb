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
  /** Who runs this deployment (ORG_*), shown on every page; defaults when absent. */
  site?: SiteInfo;
}

export interface SiteInfo {
  orgName: string | null;
  orgContact: string | null;
  /** http://…onion/ (Tor Browser), or null. */
  onion: string | null;
  /** Where "Leave quickly" goes: an ordinary site. */
  quickExitUrl: string;
}

export const DEFAULT_SITE: SiteInfo = Object.freeze({
  orgName: null,
  orgContact: null,
  onion: null,
  quickExitUrl: 'https://www.bing.com/',
});

/** Always there, on every page (the receipt page too): one tap away to an ordinary site. */
function quickExit(ctx: PageContext): SafeHtml {
  const site = ctx.site ?? DEFAULT_SITE;
  return html`<a class="quick-exit" id="quick-exit" href="${site.quickExitUrl}" rel="noreferrer"
    >${ctx.t('exit.label')}</a
  >`;
}

function siteFooter(ctx: PageContext): SafeHtml {
  const { t } = ctx;
  const site = ctx.site ?? DEFAULT_SITE;
  return html`<footer class="site" id="site-footer">
    ${site.orgName ? html`<p id="org-name">${t('org.runBy', { name: site.orgName })}</p>` : null}
    ${
      site.orgContact
        ? html`<p id="org-contact">${t('org.contact', { contact: site.orgContact })}</p>`
        : null
    }
    ${
      site.onion
        ? html`<p id="org-onion">
            ${t('org.onion')} <span class="onion" translate="no">${site.onion}</span>
          </p>`
        : null
    }
    <p>${t('footer.privacy')}</p>
  </footer>`;
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
          ${quickExit(ctx)}
          <p class="brand"><span class="name">${t('site.name')}</span></p>
          ${chrome ? languageSwitch(ctx, options.switchTo) : null} ${nav}
        </header>
        <main id="main">${body}</main>
        ${siteFooter(ctx)} ${scriptSlot(ctx)}
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
