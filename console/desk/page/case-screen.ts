import { call } from './api';
import { h, field, options } from './dom';
import { INDICATORS, indicatorLabel, lang, languageLabel, STATUSES, statusLabel, t } from './i18n';

// One case: the source's testimony and follow-ups in order, each with original and translation
// side by side, its files (shown here on request, from the desk's memory) and its history;
// then what the reviewer can do with the case.

interface FileView {
  status: 'clean' | 'held-back';
  fileId: string | null;
  name: string;
  mime?: string;
  size: number;
  inline?: boolean;
  removed: string[];
  reason?: string;
}

interface RecordView {
  id: string;
  receivedOn: string;
  status: string;
  language: string;
  canReply: boolean;
  original: string;
  translation: { title: string; text: string };
  sanitisation: string[];
  files: FileView[];
  answers: Array<{ id: string; question: string; answer: string }>;
  answerIndicators: Array<{ id: string }>;
  entries: Array<{ id: string; kind: string; author: string; day: string; text: string }>;
}

interface CaseView {
  records: RecordView[];
  indicators: Array<{
    indicator: string;
    quote: string;
    confidence: string;
    author: string | null;
    day: string;
  }>;
}

const fileUrl = (r: RecordView, f: FileView, download = false) =>
  `/api/records/${r.id}/files/${f.fileId}${download ? '?download=1' : ''}`;

function viewer(r: RecordView, f: FileView): HTMLElement {
  const src = fileUrl(r, f);
  const mime = f.mime ?? '';
  if (mime.startsWith('image/')) return h('img', { src, alt: f.name, class: 'inline-file' });
  if (mime.startsWith('audio/')) return h('audio', { src, controls: true, class: 'inline-file' });
  if (mime.startsWith('video/')) return h('video', { src, controls: true, class: 'inline-file' });
  return h('iframe', { src, title: f.name, class: 'inline-file pdf', sandbox: '' });
}

function fileItem(r: RecordView, f: FileView): HTMLElement {
  const slot = h('div', { class: 'file-slot' });
  const kb = `${Math.max(1, Math.round(f.size / 1024))} KB`;
  const removed = `${t('removed')}: ${f.removed.length ? f.removed.join(', ') : t('nothing')}`;
  if (f.status !== 'clean' || !f.fileId)
    return h(
      'li',
      { class: 'file held' },
      h('strong', {}, f.name),
      ` — ${t('heldBack')} (${f.reason ?? ''}) · ${kb}`,
    );
  return h(
    'li',
    { class: 'file' },
    h('div', {}, h('strong', {}, f.name), ` · ${f.mime} · ${kb} · ${t('clean')}`),
    h('p', { class: 'hint' }, removed),
    h(
      'div',
      { class: 'file-actions' },
      f.inline
        ? h(
            'button',
            { type: 'button', onclick: () => slot.replaceChildren(viewer(r, f)) },
            `${t('show')}: ${f.name}`,
          )
        : null,
      h('a', { class: 'button ghost', href: fileUrl(r, f, true), download: f.name }, t('save')),
    ),
    slot,
  );
}

function recordSection(
  r: RecordView,
  i: number,
  caseId: string,
  redraw: (v: CaseView) => void,
): HTMLElement {
  const correction = h('textarea', { rows: '4' }, r.translation.text) as HTMLTextAreaElement;
  return h(
    'article',
    { class: 'record', 'aria-labelledby': `rec-${r.id}` },
    h(
      'h2',
      { id: `rec-${r.id}` },
      `${i === 0 ? t('testimony') : `${t('followUp')} ${i}`} · ${r.receivedOn}`,
    ),
    h(
      'p',
      { class: 'hint' },
      `${r.id.slice(0, 8)} · ${languageLabel(r.language)} · ${statusLabel(r.status)}`,
    ),
    h(
      'div',
      { class: 'side-by-side' },
      h(
        'section',
        { class: 'text-pane' },
        h('h3', {}, `${t('original')} · ${languageLabel(r.language)}`),
        h('div', { class: 'text', lang: r.language }, r.original),
      ),
      h(
        'section',
        { class: 'text-pane' },
        h('h3', {}, `${t('translation')} · ${languageLabel('en')}`),
        h('div', { class: 'text', lang: 'en' }, r.translation.text),
        h('p', { class: 'hint' }, r.translation.title),
      ),
    ),
    h(
      'details',
      {},
      h('summary', {}, t('correctTranslation')),
      field(t('translation'), correction),
      h(
        'button',
        {
          type: 'button',
          onclick: () =>
            void act(
              caseId,
              { kind: 'human-translation', recordId: r.id, text: correction.value, target: 'en' },
              redraw,
            ),
        },
        t('saveTranslation'),
      ),
    ),
    h('h3', {}, t('files')),
    r.files.length
      ? h(
          'ul',
          { class: 'files' },
          r.files.map((f) => fileItem(r, f)),
        )
      : h('p', {}, t('noFiles')),
    h(
      'details',
      {},
      h('summary', {}, t('sanitisation')),
      h(
        'ul',
        {},
        r.sanitisation.map((l) => h('li', {}, l)),
      ),
    ),
    r.answers.length
      ? h(
          'details',
          {},
          h('summary', {}, t('answers')),
          h(
            'dl',
            { class: 'answers' },
            r.answers.flatMap((a) => [h('dt', {}, a.question), h('dd', {}, a.answer)]),
          ),
        )
      : null,
    r.answerIndicators.length
      ? h(
          'p',
          {},
          `${t('fromAnswers')}: `,
          r.answerIndicators.map((x) => indicatorLabel(x.id)).join(', '),
        )
      : null,
    h('h3', {}, t('history')),
    r.entries.length
      ? h(
          'ol',
          { class: 'history' },
          r.entries.map((e) =>
            h(
              'li',
              { class: `entry entry-${e.kind}` },
              h('span', { class: 'hint' }, `${e.day} · ${e.author} · `),
              e.text,
            ),
          ),
        )
      : h('p', { class: 'hint' }, t('none')),
  );
}

const status = h('p', { role: 'status', class: 'status', id: 'case-status' });

async function act(caseId: string, body: unknown, redraw: (v: CaseView) => void): Promise<void> {
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

async function actionsPanel(
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
    options(Object.keys(INDICATORS).map((k): [string, string] => [k, indicatorLabel(k)])),
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
        { class: 'button ghost', href: `/api/cases/${caseId}/case-file.html`, download: '' },
        t('caseFile'),
      ),
      h(
        'a',
        { class: 'button ghost', href: `/api/cases/${caseId}/case-file.pdf`, download: '' },
        t('caseFilePdf'),
      ),
      h('button', { type: 'button', class: 'ghost', onclick: () => window.print() }, t('print')),
      h(
        'a',
        { class: 'button ghost', href: `/api/cases/${caseId}/evidence.zip`, download: '' },
        t('evidence'),
      ),
      h(
        'a',
        { class: 'button ghost', href: `/api/uwazi.zip?cases=${caseId}`, download: '' },
        t('exportUwazi'),
      ),
    ),
  );
}

export async function caseScreen(caseId: string): Promise<HTMLElement> {
  const v = await call<CaseView>('GET', `/api/cases/${caseId}?lang=${lang()}`);
  const thread = h('div', { class: 'thread' });
  const wrap = h('div', { class: 'case-screen' });
  const redraw = (next: CaseView) =>
    thread.replaceChildren(...next.records.map((r, i) => recordSection(r, i, caseId, redraw)));
  redraw(v);
  status.textContent = '';
  wrap.append(
    h('p', {}, h('a', { href: '#/', class: 'back' }, `← ${t('back')}`)),
    h('h1', {}, `${t('case')} ${caseId.slice(0, 8)}`),
    h('div', { class: 'case-layout' }, thread, await actionsPanel(caseId, v, redraw)),
  );
  return wrap;
}
