import type { RecordFile, Translation } from '../core/record/record-body';
import type { Translator } from './translate';
import { translateTestimony } from './translate-testimony';

// The text read from photos of paper, translated like the testimony text and in the same
// step, before the record is stored. Unlike the testimony's, a failed translation here is not
// owed: retry-translation appends a translation of the record's text only, so a photo's text
// the engine failed on is recorded as not-translated with reason 'failed' and the engine's
// code, and a reviewer reads (or translates) it from the record. A rendition's OCR text is not
// translated ('not-requested'): it is there for search.

export async function translateFileTexts(
  translator: Translator | null,
  files: readonly RecordFile[],
): Promise<RecordFile[]> {
  const out: RecordFile[] = [];
  for (const file of files) {
    if (file.status !== 'clean' || !file.ocr || file.rendition) {
      out.push(file);
      continue;
    }
    const outcome = await translateTestimony(translator, file.ocr.text, file.ocr.lang.code);
    let translation: Translation;
    if (outcome.kind === 'translated') translation = outcome.translation;
    else if (outcome.owed)
      translation = { status: 'not-translated', reason: 'failed', code: outcome.code };
    else
      translation = {
        status: 'not-translated',
        reason: outcome.reason,
        ...(outcome.code ? { code: outcome.code } : {}),
      };
    out.push({ ...file, ocr: { ...file.ocr, translation } });
  }
  return out;
}
