import type { Question, Questionnaire, QuestionnaireLanguage } from '../../../core/questionnaire';
import { html, type SafeHtml } from '../html';
import type { PageContext } from './layout';

// The optional questionnaire, rendered from its definition (core/questionnaire): one named
// field per question, name = question id, so the no-JS form and the page script read the
// same fields. Choice questions have an explicit "no answer" so a choice can be taken back.

export type FormValues = ReadonlyMap<string, readonly string[]>;

const label = (ctx: PageContext, l: Record<QuestionnaireLanguage, string>): string => l[ctx.lang];

function help(ctx: PageContext, q: Question): SafeHtml | null {
  return q.help ? html`<p class="help" id="q-${q.id}-help">${label(ctx, q.help)}</p>` : null;
}

const describedBy = (q: Question): string | null => (q.help ? `q-${q.id}-help` : null);

function choice(
  ctx: PageContext,
  q: Question,
  kind: 'radio' | 'checkbox',
  options: { value: string; text: string }[],
  values: readonly string[],
): SafeHtml {
  const chosen = new Set(values);
  const items = options.map((o) => {
    const id = `q-${q.id}-${o.value || 'none'}`;
    const on = o.value === '' ? chosen.size === 0 : chosen.has(o.value);
    return html`<li>
      <input
        type="${kind}"
        id="${id}"
        name="${q.id}"
        value="${o.value}"
        ${on ? html` checked` : null}
      />
      <label for="${id}">${o.text}</label>
    </li>`;
  });
  const aria = describedBy(q);
  return html`<fieldset
    class="question"
    id="q-${q.id}"
    ${aria ? html` aria-describedby="${aria}"` : null}
  >
    <legend>${label(ctx, q.label)}</legend>
    ${help(ctx, q)}
    <ul class="choices">
      ${items}
    </ul>
  </fieldset>`;
}

function question(ctx: PageContext, q: Question, values: readonly string[]): SafeHtml {
  const { t } = ctx;
  const none = { value: '', text: t('form.noAnswer') };
  const options = (q.options ?? []).map((o) => ({ value: o.id, text: label(ctx, o.label) }));
  const current = values[values.length - 1] ?? '';
  const aria = describedBy(q);
  const describe = aria ? html` aria-describedby="${aria}"` : null;
  switch (q.type) {
    case 'single':
      return choice(ctx, q, 'radio', [...options, none], values);
    case 'multi':
      return choice(ctx, q, 'checkbox', options, values);
    case 'yesno':
      return choice(
        ctx,
        q,
        'radio',
        [{ value: 'yes', text: t('form.yes') }, { value: 'no', text: t('form.no') }, none],
        values,
      );
    case 'number':
      return html`<div class="question">
        <label for="q-${q.id}">${label(ctx, q.label)}</label>${help(ctx, q)}
        <input
          type="text"
          inputmode="decimal"
          id="q-${q.id}"
          name="${q.id}"
          value="${current}"
          maxlength="12"
          autocomplete="off"
          ${describe}
        />
      </div>`;
    case 'text':
      return html`<div class="question">
        <label for="q-${q.id}">${label(ctx, q.label)}</label>${help(ctx, q)}
        <textarea id="q-${q.id}" name="${q.id}" rows="2" maxlength="2000" ${describe}>
${current}</textarea>
      </div>`;
  }
}

export function questionnaireSection(
  ctx: PageContext,
  def: Questionnaire,
  values: FormValues,
): SafeHtml {
  const sections = def.sections.map(
    (s) =>
      html`<fieldset class="section" id="section-${s.id}">
        <legend>${label(ctx, s.title)}</legend>
        ${s.questions.map((q) => question(ctx, q, values.get(q.id) ?? []))}
      </fieldset>`,
  );
  const open = def.sections.some((s) => s.questions.some((q) => values.has(q.id)));
  return html`<details id="questionnaire" ${open ? html` open` : null}>
    <summary>${ctx.t('form.questions.summary')}</summary>
    <p class="help">${ctx.t('form.questions.help')}</p>
    ${sections}
  </details>`;
}
