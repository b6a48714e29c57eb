import { readSecret, type Config } from '../core/config';
import type { TranslatorConfig } from './translate';

/** The translator the operator configured; TRANSLATOR=none means no machine translation. */
export function translatorConfig(config: Config): TranslatorConfig {
  if (config.TRANSLATOR === 'none') return { engine: 'none' };
  const apiKey = readSecret(config, 'LIBRETRANSLATE_API_KEY_FILE', 'LIBRETRANSLATE_API_KEY');
  return {
    engine: 'libretranslate',
    url: config.LIBRETRANSLATE_URL,
    charLimit: config.TRANSLATE_CHAR_LIMIT,
    timeoutMs: config.TRANSLATE_TIMEOUT_MS,
    ...(apiKey ? { apiKey } : {}),
  };
}
