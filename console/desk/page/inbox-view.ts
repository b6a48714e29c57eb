import type { CaseSummary } from '../inbox';
import { apiUrl, call } from './api';
import { h, field, options } from './dom';
import { lang, languageLabel, STATUSES, statusLabel, t } from './i18n';
import { INDICATOR_IDS, indicatorLabel } from './indicators';

// The inbox: one row per case (a source's testimony and its follow-ups), newest first. Filters
// and search run in the desk process over what it decrypted; the query never leaves it.

/** A case as the desk process sends it (a type only: nothing of that module is bundled). */
export type CaseRow = CaseSummary;

const filters: Record<string, string> = {};
const chosen = new Set<string>();

function query(): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) p.set(k, v);
  return p.toString();
}

function row(c: CaseRow): HTMLElement {
  const box = h('input', {
    type: 'checkbox',
    'aria-label': `${t('select')} ${c.caseId.slice(0, 8)}`,
    checked: chosen.has(c.caseId),
    onchange: (e: Event) => {
      if ((e.target as HTMLInputElement).checked) chosen.add(c.caseId);
      else chosen.delete(c.caseId);
    },
  });
  const follow = c.recordIds.length - 1;
  return h(
    'li',
    { class: `case${c.unread ? ' unread' : ''}`, 'data-case': c.caseId },
    h('div', { class: 'case-select' }, box),
    h(
      'a',
      { href: `#/case/${c.caseId}`, class: 'case-link' },
      h(
        'div',
        { class: 'case-meta' },
        c.unread ? h('span', { class: 'badge unread-badge' }, t('unread')) : null,
        h('span', { class: `badge status-${c.status}` }, statusLabel(c.status)),
        h('span', {}, c.lastOn),
        h('span', { class: 'lang' }, languageLabel(c.language)),
        follow > 0 ? h('span', {}, `${follow} ${t('followUps')}`) : null,
        c.attachments > 0 ? h('span', {}, `${t('attachments')} ${c.attachments}`) : null,
        c.assignee ? h('span', {}, `${t('assignee')}: ${c.assignee}`) : null,
      ),
      h('p', { class: 'excerpt', lang: c.language }, c.excerpt),
      c.translationExcerpt && c.translationExcerpt !== c.excerpt
        ? h('p', { class: 'excerpt translated', lang: 'en' }, c.translationExcerpt)
        : null,
      h(
        'div',
        { class: 'chips' },
        c.tags.map((x) => h('span', { class: 'chip' }, `#${x}`)),
        c.indicators.map((x) => h('span', { class: 'chip ilo' }, indicatorLabel(x))),
      ),
    ),
  );
}

function filterBar(cases: CaseRow[], redraw: () => void): HTMLElement {
  const sel = (key: string, label: string, values: Array<[string, string]>) => {
    const s = h(
      'select',
      {
        onchange: (e: Event) => {
          filters[key] = (e.target as HTMLSelectElement).value;
          redraw();
        },
      },
      options([['', t('any')], ...values], filters[key] ?? ''),
    );
    return field(label, s);
  };
  const distinct = (f: (c: CaseRow) => string[]) =>
    [...new Set(cases.flatMap(f))].sort().map((v): [string, string] => [v, v]);
  const search = h('input', {
    type: 'search',
    value: filters.q ?? '',
    name: 'q',
  }) as HTMLInputElement;
  const unread = h('input', {
    type: 'checkbox',
    checked: filters.unread === '1',
    onchange: (e: Event) => {
      filters.unread = (e.target as HTMLInputElement).checked ? '1' : '';
      redraw();
    },
  });
  const withFiles = h('input', {
    type: 'checkbox',
    checked: filters.withFiles === '1',
    onchange: (e: Event) => {
      filters.withFiles = (e.target as HTMLInputElement).checked ? '1' : '';
      redraw();
    },
  });
  return h(
    'div',
    { class: 'filters' },
    h(
      'form',
      {
        role: 'search',
        class: 'search',
        onsubmit: (e: Event) => {
          e.preventDefault();
          filters.q = search.value;
          redraw();
        },
      },
      field(t('search'), search),
      h('button', { type: 'submit', class: 'primary' }, t('searchButton')),
    ),
    h(
      'div',
      { class: 'filter-row' },
      sel(
        'status',
        t('status'),
        STATUSES.map((s): [string, string] => [s, statusLabel(s)]),
      ),
      sel(
        'language',
        t('language'),
        distinct((c) => [c.language]).map(([v]): [string, string] => [v, languageLabel(v)]),
      ),
      sel(
        'tag',
        t('tag'),
        distinct((c) => c.tags),
      ),
      sel(
        'assignee',
        t('assignee'),
        distinct((c) => (c.assignee ? [c.assignee] : [])),
      ),
      sel(
        'indicator',
        t('indicator'),
        INDICATOR_IDS.map((k): [string, string] => [k, indicatorLabel(k)]),
      ),
      h('div', { class: 'field inline' }, h('label', {}, unread, ' ', t('unreadOnly'))),
      h('div', { class: 'field inline' }, h('label', {}, withFiles, ' ', t('withFilesOnly'))),
      h(
        'button',
        {
          type: 'button',
          class: 'ghost',
          onclick: () => {
            for (const k of Object.keys(filters)) delete filters[k];
            redraw();
          },
        },
        t('clear'),
      ),
    ),
  );
}

async function bulkBar(): Promise<HTMLElement> {
  const { reviewers, me } = await call<{ reviewers: Array<{ name: string }>; me: string }>(
    'GET',
    '/api/reviewers',
  );
  const others = reviewers.filter((r) => r.name !== me);
  const who = h(
    'select',
    {},
    options(others.map((r): [string, string] => [r.name, r.name])),
  ) as HTMLSelectElement;
  const status = h('p', { role: 'status', class: 'status' });
  const uwazi = h(
    'a',
    {
      class: 'button',
      href: apiUrl('/api/uwazi.zip'),
      download: '',
      onclick: (e: Event) => {
        (e.currentTarget as HTMLAnchorElement).href = apiUrl(
          `/api/uwazi.zip${chosen.size ? `?cases=${[...chosen].join(',')}` : ''}`,
        );
      },
    },
    t('exportUwazi'),
  );
  return h(
    'div',
    { class: 'bulk' },
    field(t('grantTo'), who),
    h(
      'button',
      {
        type: 'button',
        onclick: async () => {
          if (chosen.size === 0 || !who.value) {
            status.textContent = t(chosen.size === 0 ? 'selectFirst' : 'noColleague');
            return;
          }
          try {
            const r = await call<{ reviewer: string; created: number; records: number }>(
              'POST',
              '/api/grants',
              { reviewer: who.value, caseIds: [...chosen] },
            );
            status.textContent = `${t('granted')}: ${r.reviewer} (${r.created}/${r.records})`;
          } catch (err) {
            status.textContent = (err as Error).message;
          }
        },
      },
      t('grantSelected'),
    ),
    h('div', {}, uwazi, h('p', { class: 'hint' }, t('exportHint'))),
    status,
  );
}

/** Cases drawn at once; more on request (a long inbox stays quick to open and to scroll). */
const PAGE = 100;

export async function inboxView(): Promise<HTMLElement> {
  const list = h('ul', { class: 'cases', 'aria-label': t('inbox') });
  const count = h('p', { class: 'count', role: 'status' });
  const more = h('div', { class: 'more' });
  const wrap = h('section', { class: 'inbox' });
  let all: CaseRow[] = [];
  let shown: CaseRow[] = [];
  const drawRows = (from: number) => {
    const next = shown.slice(from, from + PAGE);
    if (from === 0)
      list.replaceChildren(
        ...(next.length ? next.map(row) : [h('li', { class: 'empty' }, t('noCases'))]),
      );
    else list.append(...next.map(row));
    const drawn = Math.min(shown.length, from + PAGE);
    count.textContent = t('caseCount').replace('{n}', String(shown.length));
    more.replaceChildren(
      drawn < shown.length
        ? h(
            'button',
            { type: 'button', onclick: () => drawRows(drawn) },
            t('showMore').replace('{n}', String(shown.length - drawn)),
          )
        : '',
    );
  };
  const draw = async (refresh = false) => {
    const { cases } = await call<{ cases: CaseRow[] }>(
      'GET',
      `/api/cases?${query()}${refresh ? '&refresh=1' : ''}&lang=${lang()}`,
    );
    if (!query()) all = cases;
    shown = cases;
    drawRows(0);
    return cases;
  };
  // The reviewers list (for granting) is fetched while the cases are drawn, not after.
  const bar = bulkBar();
  all = await draw();
  const redraw = () =>
    void draw().then(() => {
      const bar = wrap.querySelector('.filters');
      bar?.replaceWith(filterBar(all, redraw));
    });
  wrap.append(
    h(
      'div',
      { class: 'inbox-head' },
      h('h1', {}, t('inbox')),
      h('button', { type: 'button', class: 'ghost', onclick: () => void draw(true) }, t('refresh')),
    ),
    filterBar(all, redraw),
    count,
    list,
    more,
    await bar,
  );
  return wrap;
}
