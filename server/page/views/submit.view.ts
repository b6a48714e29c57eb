import type { Questionnaire } from '../../../core/questionnaire';
import { html, type SafeHtml } from '../html';
import { errorBox, layout, type PageContext } from './layout';
import { questionnaireSection, type FormValues } from './questionnaire.view';

// GET / (and its re-render with a message after a refused POST /submit), and the receipt
// page POST /submit answers with. The safety notice comes before the form, always.

export interface SubmitLimits {
  maxFiles: number;
  /** The largest one file, in MB for people. */
  fileMb: number;
  /** All files together on this form, in MB for people. */
  maxMb: number;
}

function safetyNotice(ctx: PageContext): SafeHtml {
  const { t } = ctx;
  return html`<section class="notice" id="safety" aria-labelledby="safety-title">
    <h2 id="safety-title">${t('safety.title')}</h2>
    <ul>
      <li>${t('safety.noAccount')}</li>
      <li>${t('safety.tor')}</li>
      <li>${t('safety.device')}</li>
      <li>${t('safety.private')}</li>
      <li>${t('safety.exit')}</li>
      <li>${t('safety.names')}</li>
      <li>${t('safety.photos')}</li>
      <li>${t('safety.js')}</li>
      <li>${t('safety.nojs')}</li>
    </ul>
  </section>`;
}

export function submitPage(
  ctx: PageContext,
  args: {
    questionnaire: Questionnaire;
    limits: SubmitLimits;
    values?: FormValues;
    error?: string | null;
  },
): string {
  const { t, lang } = ctx;
  const values = args.values ?? new Map<string, string[]>();
  const text = values.get('text')?.[0] ?? '';
  const body = html`<h1>${t('site.name')}</h1>
    <p class="lead">${t('site.tagline')}</p>
    ${safetyNotice(ctx)}
    <form
      id="submit-form"
      method="post"
      action="/submit?lang=${lang}"
      enctype="multipart/form-data"
      accept-charset="UTF-8"
    >
      <h2>${t('form.title')}</h2>
      ${errorBox(ctx, args.error ?? null, t('error.filesAgain'))}
      <input type="hidden" name="lang" value="${lang}" />
      <div class="field">
        <label for="text">${t('form.text.label')}</label>
        <p class="help" id="text-help">${t('form.text.help')}</p>
        <textarea id="text" name="text" rows="10" aria-describedby="text-help">${text}</textarea>
      </div>
      ${questionnaireSection(ctx, args.questionnaire, values)}
      <div class="field">
        <label for="files">${t('form.files.label')}</label>
        <p class="help" id="files-help">
          ${t('form.files.help', {
            count: args.limits.maxFiles,
            each: args.limits.fileMb,
            mb: args.limits.maxMb,
          })}
        </p>
        <input type="file" id="files" name="files" multiple aria-describedby="files-help" />
      </div>
      <p class="help">${t('form.submitNote')}</p>
      <p><button type="submit" id="submit-button">${t('form.submit')}</button></p>
    </form>`;
  return layout(ctx, { title: t('nav.submit'), switchTo: '/' }, body);
}

/** The receipt, once. Groups of four, large; nothing on the page leads away by accident. */
export function receiptPage(ctx: PageContext, receipt: string): string {
  const { t, lang } = ctx;
  const groups = receipt.split('-').map((g) => html`<span class="group">${g}</span> `);
  const body = html`<h1>${t('receipt.title')}</h1>
    <p class="lead">${t('receipt.lead')}</p>
    <section class="receipt" aria-labelledby="receipt-label">
      <h2 id="receipt-label">${t('receipt.label')}</h2>
      <p class="digits" id="receipt" translate="no">${groups}</p>
    </section>
    <ul class="warnings">
      <li><strong>${t('receipt.warn')}</strong></li>
      <li>${t('receipt.use')}</li>
      <li>${t('receipt.device')}</li>
    </ul>
    <p><a class="button" href="/?lang=${lang}">${t('receipt.done')}</a></p>`;
  return layout(ctx, { title: t('receipt.label'), switchTo: '/', chrome: false }, body);
}
