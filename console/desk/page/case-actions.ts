import { apiUrl, call } from './api';
import type { CaseView } from './case-types';
import { h, field, options } from './dom';
import { lang, STATUSES, statusLabel, t } from './i18n';
import { INDICATOR_IDS, indicatorLabel } from './indicators';

// What a reviewer can do with a case: each action is one call to the desk, which encrypts it
// as an entry; the case is redrawn from the desk's answer.

export const status = h('p', { role: 'status', class: 'status', id: 'case-status' });

export async function act(
  caseId: string,
  body: unknown,
  redraw: (v: CaseView) => void,
): Promise<void> {
  try {
    const v = await call<CaseView>('POST', `/api/cases/${caseId}/actions?lang=${lang()}`, body);
    redraw(v);
    status.textContent = t('saved');
    status.className = 'status ok';
  } catch (err) {
    status.textContent = (err as Error).message;
    status.className = 'status error';
  }
}

export async function actionsPanel(
  caseId: string,
  v: CaseView,
  redraw: (v: CaseView) => void,
): Promise<HTMLElement> {
  const { reviewers, me } = await call<{ reviewers: Array<{ name: string }>; me: string }>(
    'GET',
    '/api/reviewers',
  );
  const names = reviewers.map((r): [string, string] => [r.name, r.name]);
  const others = names.filter(([n]) => n !== me);
  const note = h('textarea', { rows: '3', name: 'note' }) as HTMLTextAreaElement;
  const tag = h('input', { type: 'text', name: 'tag' }) as HTMLInputElement;
  const st = h(
    'select',
    { name: 'status' },
    options(
      STATUSES.map((s): [string, string] => [s, statusLabel(s)]),
      v.records[0]?.status,
    ),
  ) as HTMLSelectElement;
  const who = h('select', { name: 'assignee' }, options(names)) as HTMLSelectElement;
  const reply = h('textarea', { rows: '3', name: 'reply' }) as HTMLTextAreaElement;
  const ind = h(
    'select',
    { name: 'indicator' },
    options(INDICATOR_IDS.map((k): [string, string] => [k, indicatorLabel(k)])),
  ) as HTMLSelectElement;
  const quote = h('textarea', { rows: '2', name: 'quote' }) as HTMLTextAreaElement;
  const conf = h(
    'select',
    { name: 'confidence' },
    options(
      [
        ['low', t('low')],
        ['medium', t('medium')],
        ['high', t('high')],
      ],
      'medium',
    ),
  ) as HTMLSelectElement;
  const grantWho = h('select', { name: 'grant' }, options(others)) as HTMLSelectElement;
  const canReply = v.records.some((r) => r.canReply);
  const btn = (label: string, f: () => unknown) =>
    h('button', { type: 'button', onclick: () => void f() }, label);
  return h(
    'aside',
    { class: 'actions', 'aria-label': t('act') },
    h('h2', {}, t('act')),
    status,
    h(
      'div',
      { class: 'action' },
      field(t('note'), note),
      btn(t('addNote'), () => act(caseId, { kind: 'note', text: note.value }, redraw)),
    ),
    h(
      'div',
      { class: 'action' },
      field(t('tag'), tag),
      btn(t('addTag'), () => act(caseId, { kind: 'tag', tag: tag.value }, redraw)),
    ),
    h(
      'div',
      { class: 'action' },
      field(t('status'), st),
      btn(t('setStatus'), () => act(caseId, { kind: 'status', status: st.value }, redraw)),
    ),
    h(
      'div',
      { class: 'action' },
      field(t('assignee'), who),
      btn(t('assign'), () => act(caseId, { kind: 'assignment', reviewer: who.value }, redraw)),
    ),
    h(
      'div',
      { class: 'action' },
      canReply
        ? [
            field(t('reply'), reply, t('replyHelp')),
            btn(t('sendReply'), () => act(caseId, { kind: 'reply', text: reply.value }, redraw)),
          ]
        : h('p', { class: 'hint' }, t('cannotReply')),
    ),
    h(
      'fieldset',
      { class: 'action' },
      h('legend', {}, t('coding')),
      field(t('indicator'), ind),
      field(t('quote'), quote),
      field(t('confidence'), conf),
      btn(t('addIndicator'), () =>
        act(
          caseId,
          { kind: 'indicator', indicator: ind.value, quote: quote.value, confidence: conf.value },
          redraw,
        ),
      ),
      v.indicators.length
        ? h(
            'ul',
            {},
            v.indicators.map((x) =>
              h(
                'li',
                {},
                `${indicatorLabel(x.indicator)} (${t(x.confidence as 'low')}): “${x.quote}”`,
              ),
            ),
          )
        : null,
    ),
    h(
      'div',
      { class: 'action' },
      field(t('grantTo'), grantWho),
      btn(t('grant'), async () => {
        try {
          const r = await call<{ reviewer: string; created: number; records: number }>(
            'POST',
            '/api/grants',
            { reviewer: grantWho.value, caseIds: [caseId] },
          );
          status.textContent = `${t('granted')}: ${r.reviewer} (${r.created}/${r.records})`;
        } catch (err) {
          status.textContent = (err as Error).message;
        }
      }),
    ),
    h(
      'div',
      { class: 'action exports' },
      h('h3', {}, t('exports')),
      h(
        'a',
        {
          class: 'button ghost',
          href: apiUrl(`/api/cases/${caseId}/case-file.html`),
          download: '',
        },
        t('caseFile'),
      ),
      h(
        'a',
        { class: 'button ghost', href: apiUrl(`/api/cases/${caseId}/case-file.pdf`), download: '' },
        t('caseFilePdf'),
      ),
      h('button', { type: 'button', class: 'ghost', onclick: () => window.print() }, t('print')),
      h(
        'a',
        { class: 'button ghost', href: apiUrl(`/api/cases/${caseId}/evidence.zip`), download: '' },
        t('evidence'),
      ),
      h(
        'a',
        { class: 'button ghost', href: apiUrl(`/api/uwazi.zip?cases=${caseId}`), download: '' },
        t('exportUwazi'),
      ),
    ),
  );
}
