import { html, type SafeHtml } from '../html';
import type { SourceView } from '../source.service';
import { errorBox, layout, type PageContext } from './layout';
import type { SubmitLimits } from './submit.view';

// Coming back with a receipt: GET /return asks for it, POST /return shows status and replies
// with a form to reply or add more, which asks for the receipt again (it is never put in a
// page), and POST /return/reply confirms.

function receiptField(ctx: PageContext, id: string): SafeHtml {
  const { t } = ctx;
  return html`<div class="field">
    <label for="${id}">${t('return.receipt.label')}</label>
    <p class="help" id="${id}-help">${t('return.receipt.help')}</p>
    <input
      type="text"
      id="${id}"
      name="receipt"
      inputmode="numeric"
      autocomplete="off"
      autocapitalize="off"
      spellcheck="false"
      maxlength="64"
      required
      aria-describedby="${id}-help"
    />
  </div>`;
}

export function returnPage(ctx: PageContext, error?: string | null): string {
  const { t, lang } = ctx;
  const body = html`<h1>${t('return.title')}</h1>
    <p class="lead">${t('return.lead')}</p>
    <form id="return-form" method="post" action="/return?lang=${lang}" accept-charset="UTF-8">
      ${errorBox(ctx, error ?? null)} ${receiptField(ctx, 'receipt')}
      <p class="help">${t('return.wait')}</p>
      <p><button type="submit" id="return-button">${t('return.submit')}</button></p>
    </form>`;
  return layout(ctx, { title: t('return.title'), switchTo: '/return' }, body);
}

function addForm(ctx: PageContext, limits: SubmitLimits, error?: string | null): SafeHtml {
  const { t, lang } = ctx;
  return html`<form
    id="add-form"
    method="post"
    action="/return/reply?lang=${lang}"
    enctype="multipart/form-data"
    accept-charset="UTF-8"
  >
    <h2>${t('add.title')}</h2>
    <p>${t('add.lead')}</p>
    ${errorBox(ctx, error ?? null, t('error.filesAgain'))}
    <input type="hidden" name="lang" value="${lang}" />
    <div class="field">
      <label for="add-text">${t('add.text.label')}</label>
      <textarea id="add-text" name="text" rows="6"></textarea>
    </div>
    <div class="field">
      <label for="add-files">${t('form.files.label')}</label>
      <p class="help" id="add-files-help">
        ${t('form.files.help', {
          count: limits.maxFiles,
          each: limits.fileMb,
          mb: limits.maxMb,
        })}
      </p>
      <input type="file" id="add-files" name="files" multiple aria-describedby="add-files-help" />
    </div>
    ${receiptField(ctx, 'add-receipt')}
    <p><button type="submit" id="add-button">${t('add.submit')}</button></p>
  </form>`;
}

const STATUS_KEYS = {
  received: 'status.received',
  processing: 'status.processing',
  done: 'status.done',
  failed: 'status.failed',
} as const;

export function statusPage(ctx: PageContext, view: SourceView, limits: SubmitLimits): string {
  const { t } = ctx;
  const submissions = view.submissions.length
    ? html`<ol class="items" id="submissions">
        ${view.submissions.map(
          (s) =>
            html`<li class="status-${s.status}">
              <span class="date">${t('status.item', { date: s.receivedOn })}</span>
              ${t(STATUS_KEYS[s.status])}
            </li>`,
        )}
      </ol>`
    : html`<p id="submissions" class="empty">${t('status.none')}</p>`;
  const replies = view.replies.length
    ? html`<ol class="items" id="replies">
        ${view.replies.map(
          (r) =>
            html`<li class="reply">
              <p class="date">${r.receivedOn}</p>
              ${
                r.text === null
                  ? html`<p class="unreadable">${t('replies.unreadable')}</p>`
                  : html`<p class="reply-text">${r.text}</p>`
              }
            </li>`,
        )}
      </ol>`
    : html`<p id="replies" class="empty">${t('replies.none')}</p>`;
  const body = html`<h1>${t('return.title')}</h1>
    <section aria-labelledby="status-title">
      <h2 id="status-title">${t('status.title')}</h2>
      ${submissions}
    </section>
    <section aria-labelledby="replies-title">
      <h2 id="replies-title">${t('replies.title')}</h2>
      ${replies}
    </section>
    ${addForm(ctx, limits)}`;
  return layout(ctx, { title: t('return.title'), switchTo: '/return' }, body);
}

/** A refused reply: the form again, with its message (nothing is shown without a receipt). */
export function addPage(ctx: PageContext, limits: SubmitLimits, error: string): string {
  const body = html`<h1>${ctx.t('return.title')}</h1>
    ${addForm(ctx, limits, error)}`;
  return layout(ctx, { title: ctx.t('add.title'), switchTo: '/return' }, body);
}

export function addedPage(ctx: PageContext): string {
  const { t, lang } = ctx;
  const body = html`<h1>${t('added.title')}</h1>
    <p class="lead">${t('added.lead')}</p>
    <p><a class="button" href="/return?lang=${lang}">${t('nav.return')}</a></p>`;
  return layout(ctx, { title: t('added.title'), switchTo: '/return' }, body);
}
