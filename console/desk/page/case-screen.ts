import { apiUrl, call } from './api';
import { h, field } from './dom';
import { lang, languageLabel, statusLabel, t } from './i18n';
import { indicatorLabel } from './indicators';
import { act, actionsPanel, status } from './case-actions';
import type { CaseView, FileView, RecordView } from './case-types';

// One case: the source's testimony and follow-ups in order, each with original and translation
// side by side, its files (shown here on request, from the desk's memory) and its history;
// then what the reviewer can do with the case.

const fileUrl = (r: RecordView, f: FileView, part = '', download = false) =>
  apiUrl(`/api/records/${r.id}/files/${f.fileId}${part}${download ? '?download=1' : ''}`);

function viewer(r: RecordView, f: FileView): HTMLElement {
  const src = fileUrl(r, f);
  const mime = f.mime ?? '';
  if (mime.startsWith('audio/')) return h('audio', { src, controls: true, class: 'inline-file' });
  if (mime.startsWith('video/')) return h('video', { src, controls: true, class: 'inline-file' });
  return h('img', { src, alt: f.name, class: 'inline-file' });
}

/**
 * The safe PDF rendition in Chromium's own PDF viewer. No sandbox attribute on the frame:
 * Chromium will not show a PDF in a frame sandboxed that way; the desk sends the rendition with
 * a sandboxing CSP instead, and the rendition holds pictures of pages, nothing that runs.
 */
function renditionViewer(r: RecordView, f: FileView): HTMLElement {
  return h('iframe', {
    src: fileUrl(r, f, '/rendition'),
    title: `${t('rendition')}: ${f.name}`,
    class: 'inline-file pdf',
  });
}

/** Why a file's OCR text has no translation, in words a case officer can act on. */
function ocrUntranslated(reason: string | null | undefined) {
  if (reason === 'not-requested') return 'ocrNotRequested' as const;
  if (reason === 'same-language') return 'ocrSameLanguage' as const;
  if (reason === 'failed' || reason === 'engine-refused') return 'ocrTranslationFailed' as const;
  return 'none' as const;
}

/** Text read out of a picture (OCR) beside its translation, as the testimony is shown. */
function ocrPanel(f: FileView): HTMLElement | null {
  if (!f.ocr) return null;
  return h(
    'div',
    { class: 'side-by-side ocr' },
    h(
      'section',
      { class: 'text-pane' },
      h(
        'h4',
        {},
        `${t(f.rendition ? 'renditionText' : 'ocrText')} · ${languageLabel(f.ocr.language)}`,
      ),
      h('div', { class: 'text', lang: f.ocr.language }, f.ocr.text),
    ),
    h(
      'section',
      { class: 'text-pane' },
      h('h4', {}, `${t('ocrTranslation')} · ${languageLabel('en')}`),
      f.ocr.translation === null
        ? h('p', { class: 'hint' }, t(ocrUntranslated(f.ocr.notTranslated)))
        : h('div', { class: 'text', lang: 'en' }, f.ocr.translation),
    ),
  );
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
  const pages = f.rendition
    ? `${t('renditionPages').replace('{n}', String(f.rendition.pages))}${f.rendition.truncated ? ` · ${t('renditionTruncated')}` : ''}`
    : '';
  return h(
    'li',
    { class: 'file' },
    h('div', {}, h('strong', {}, f.name), ` · ${f.mime} · ${kb} · ${t('clean')}`),
    h('p', { class: 'hint' }, removed),
    f.kept?.length ? h('p', { class: 'hint' }, `${t('keptInFile')}: ${f.kept.join(', ')}`) : null,
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
      f.rendition
        ? h(
            'button',
            { type: 'button', onclick: () => slot.replaceChildren(renditionViewer(r, f)) },
            `${t('showRendition')}: ${f.name} (${pages})`,
          )
        : null,
      h('a', { class: 'button ghost', href: fileUrl(r, f, '', true), download: f.name }, t('save')),
      f.rendition
        ? h(
            'a',
            {
              class: 'button ghost',
              href: fileUrl(r, f, '/rendition', true),
              download: `${f.name}.pdf`,
            },
            t('saveRendition'),
          )
        : null,
    ),
    slot,
    ocrPanel(f),
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
