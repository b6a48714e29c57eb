import { LibreTranslateTranslator, type LibreTranslateOptions } from './libretranslate';
import type { Translator } from './translator';

export { LibreTranslateTranslator, type LibreTranslateOptions } from './libretranslate';
export { NO_TRANSLATION_ENGINE, notTranslated, type NotTranslated } from './none';
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

/** `null` means "do not machine-translate": the worker records notTranslated() instead. */
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
