import { indicatorName } from '../../core/questionnaire';
import { describeEntry } from '../entries';
import type { OpenedRecord } from '../records';
import { answerPairs } from '../render/answers';
import { pickTranslation, sanitisationLines, type ShownTranslation } from '../render/record';

// One case as the page shows it: each record of the conversation in order, with its original
// and translation, what was stripped from each file, its answers and the entries (replies
// included) in the order they were made. Days only, never times.

/**
 * Files the browser may show in place; anything else (SVG, HTML, office, PDF) is offered as a
 * download, and shown in place only through its safe PDF rendition (pages drawn as pictures in
 * the worker's jail), never as itself.
 */
export const INLINE_TYPES = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'audio/mpeg',
  'audio/mp4',
  'audio/ogg',
  'audio/wav',
  'audio/webm',
  'video/mp4',
  'video/webm',
  'video/quicktime',
]);

const KO_NOT_TRANSLATED: Readonly<Record<string, string>> = {
  'translator-disabled': '이 서버는 기계 번역을 쓰지 않습니다',
  'same-language': '이미 번역할 언어로 쓰였습니다',
  pending: '번역을 기다리는 중입니다 (자동으로 다시 시도합니다)',
  'engine-refused': '번역 엔진이 거절했습니다: 사람이 번역해야 합니다',
};

/** The translation shown, its heading in the page's language (who made it, never when). */
function shownTranslation(r: OpenedRecord, lang: 'en' | 'ko'): ShownTranslation {
  const t = pickTranslation(r);
  if (lang !== 'ko' || !t.by) return t;
  if ('human' in t.by) return { ...t, title: `사람 번역 · ${t.by.human}` };
  if ('engine' in t.by) return { ...t, title: `기계 번역 · ${t.by.engine}` };
  return {
    ...t,
    title: '번역 없음',
    text: `(${KO_NOT_TRANSLATED[t.by.none] ?? t.by.none})`,
  };
}

export function recordView(r: OpenedRecord, lang: 'en' | 'ko') {
  const b = r.body;
  return {
    id: r.detail.id,
    receivedOn: r.detail.receivedOn,
    status: r.detail.status,
    language: b.lang.code,
    canReply: b.sourcePublicKey !== null,
    original: b.text,
    translation: shownTranslation(r, lang),
    sanitisation: sanitisationLines(b),
    files: b.files.map((f) =>
      f.status === 'clean'
        ? {
            status: 'clean' as const,
            fileId: f.fileId,
            name: f.name,
            mime: f.mime,
            size: f.size,
            sha256: f.sha256,
            inline: INLINE_TYPES.has(f.mime),
            removed: f.report.removed,
            kept: f.report.kept,
            format: f.report.format,
            rendition: f.rendition
              ? { pages: f.rendition.pages, truncated: f.rendition.truncated }
              : null,
            ocr: f.ocr
              ? {
                  text: f.ocr.text,
                  language: f.ocr.lang.code,
                  translation: 'text' in f.ocr.translation ? f.ocr.translation.text : null,
                  notTranslated: 'text' in f.ocr.translation ? null : f.ocr.translation.reason,
                }
              : null,
          }
        : {
            status: 'held-back' as const,
            fileId: f.fileId,
            name: f.name,
            size: f.size,
            reason: f.reason,
            removed: f.report?.removed ?? [],
          },
    ),
    answers: answerPairs(b.answers ?? {}, lang),
    answerIndicators: (b.indicators ?? []).map((id) => ({ id, name: indicatorName(id) })),
    entries: r.entries
      .filter((e) => e.content.kind !== 'translation')
      .map((e) => ({
        id: e.id,
        kind: e.content.kind,
        author: e.authorName ?? 'worker',
        day: e.createdOn,
        text: describeEntry(e.content),
        content: e.content,
      })),
  };
}

export function caseView(records: OpenedRecord[], lang: 'en' | 'ko') {
  const coded = records.flatMap((r) =>
    r.entries.flatMap((e) =>
      e.content.kind === 'indicator'
        ? [
            {
              ...e.content,
              name: indicatorName(e.content.indicator),
              author: e.authorName,
              day: e.createdOn,
            },
          ]
        : [],
    ),
  );
  return { records: records.map((r) => recordView(r, lang)), indicators: coded };
}
