import type { Translation } from '../../core/record/record-body';
import type { OpenedRecord } from '../records';
import { pickTranslation } from '../render/record';

// What the desk's search looks through for one record, kept in memory only: the testimony, its
// entries, file names, the text read from files and the free-text answers, with translations.
// Lower-cased and NFC, so a query matches however the source's keyboard composed Hangul.

const translatedText = (t: Translation | undefined): string[] => (t && 'text' in t ? [t.text] : []);

export function searchTextOf(r: OpenedRecord): string {
  const parts: string[] = [r.body.text, pickTranslation(r).text];
  for (const { content: c } of r.entries) {
    if ('text' in c && typeof c.text === 'string') parts.push(c.text);
    if (c.kind === 'tag') parts.push(c.tag);
    if (c.kind === 'indicator') parts.push(c.quote, c.indicator);
  }
  for (const f of r.body.files) {
    parts.push(f.name);
    if (f.status === 'clean' && f.ocr) parts.push(f.ocr.text, ...translatedText(f.ocr.translation));
  }
  for (const v of Object.values(r.body.answers ?? {})) if (typeof v === 'string') parts.push(v);
  return parts.join('\n').normalize('NFC').toLowerCase();
}
