import { indicatorName } from '../../core/questionnaire';
import { describeEntry } from '../entries';
import type { OpenedRecord } from '../records';
import { answerPairs } from '../render/answers';
import { pickTranslation, sanitisationLines } from '../render/record';

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

export function recordView(r: OpenedRecord, lang: 'en' | 'ko') {
  const b = r.body;
  return {
    id: r.detail.id,
    receivedOn: r.detail.receivedOn,
    status: r.detail.status,
    language: b.lang.code,
    canReply: b.sourcePublicKey !== null,
    original: b.text,
    translation: pickTranslation(r),
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
