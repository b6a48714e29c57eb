import { TranslationError, type Translator } from './translate';
import type { NotTranslatedReason } from '../core/record/record-body';

// Machine translation as one step of processing. It never blocks or loses a testimony: any
// failure yields an untranslated record, and a failure a retry may fix marks the translation
// as owed (retry-translation appends it later).

export const TARGET_LANGUAGE = 'en';

export type TranslationOutcome =
  | {
      kind: 'translated';
      translation: {
        text: string;
        engine: string;
        engineVersion: string;
        source: string;
        target: string;
      };
    }
  | { kind: 'not-translated'; reason: NotTranslatedReason; code?: string; owed: boolean };

export function needsTranslation(text: string, lang: string): NotTranslatedReason | null {
  if (lang === TARGET_LANGUAGE) return 'same-language';
  if (text.trim() === '') return 'same-language';
  return null;
}

export async function translateTestimony(
  translator: Translator | null,
  text: string,
  lang: string,
): Promise<TranslationOutcome> {
  if (!translator) return { kind: 'not-translated', reason: 'translator-disabled', owed: false };
  const skip = needsTranslation(text, lang);
  if (skip) return { kind: 'not-translated', reason: skip, owed: false };
  try {
    const r = await translator.translate(text, lang, TARGET_LANGUAGE);
    return {
      kind: 'translated',
      translation: {
        text: r.text,
        engine: r.engine,
        engineVersion: r.engineVersion,
        source: r.source,
        target: r.target,
      },
    };
  } catch (err) {
    if (err instanceof TranslationError && !err.retryable) {
      return { kind: 'not-translated', reason: 'engine-refused', code: err.code, owed: false };
    }
    // Anything else (engine down, timeout, a bug in a client) may pass: owe it, do not block.
    const code = err instanceof TranslationError ? err.code : 'TRANSLATE_FAILED';
    return { kind: 'not-translated', reason: 'pending', code, owed: true };
  }
}
