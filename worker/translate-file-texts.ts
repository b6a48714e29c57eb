import type { RecordFile, Translation } from '../core/record/record-body';
import type { Translator } from './translate';
import { translateTestimony } from './translate-testimony';

// The text read from photos of paper, translated in the testimony's step before the record is
// stored. Unlike the testimony's it is not owed: a failure is recorded ('failed', the engine's
// code). A rendition's OCR text is kept for search only ('not-requested'); sanitise/FORMATS.md.

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
