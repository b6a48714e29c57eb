import { LibreTranslateTranslator, type LibreTranslateOptions } from './libretranslate';
import type { Translator } from './translator';

export { LibreTranslateTranslator, type LibreTranslateOptions } from './libretranslate';
export {
  TranslationError,
  type TranslationErrorCode,
  type TranslationResult,
  type Translator,
} from './translator';

// Which engine runs is an operator decision made in config; a third-party cloud engine, if one
// is ever added, must be a separate explicit choice here, never a fallback.
export type TranslatorConfig =
  { engine: 'none' } | ({ engine: 'libretranslate' } & LibreTranslateOptions);

/**
 * `null` means "do not machine-translate". There is deliberately no Translator that pretends to
 * translate: the record then says `{status: 'not-translated'}` (core/record/record-body.ts), so an
 * untranslated copy can never look like a translation, and reviewers add a human one.
 */
export function createTranslator(config: TranslatorConfig): Translator | null {
  switch (config.engine) {
    case 'none':
      return null;
    case 'libretranslate': {
      const { engine: _engine, ...options } = config;
      return new LibreTranslateTranslator(options);
    }
  }
}
