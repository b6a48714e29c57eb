import en from './messages/en.json';
import ko from './messages/ko.json';
import ru from './messages/ru.json';
import zh from './messages/zh.json';

// Messages live in JSON files a translator can review; Korean is the reference and the
// default. The language comes only from the visible switch (?lang=), never from
// Accept-Language: a header-chosen language would be one more thing a page reveals.

export const LANGS = ['ko', 'en', 'ru', 'zh'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'ko';

/** Each language names itself, so a reader finds theirs whatever page they are on. */
export const LANG_NAMES: Readonly<Record<Lang, string>> = {
  ko: '한국어',
  en: 'English',
  ru: 'Русский',
  zh: '中文',
};

export type Messages = typeof ko;
export type MessageKey = keyof Messages;

// Typed against the Korean file: a key missing from another language fails to compile.
const catalogs: Readonly<Record<Lang, Messages>> = { ko, en, ru, zh };

export function parseLang(value: unknown): Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value)
    ? (value as Lang)
    : DEFAULT_LANG;
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** Plain text with {name} placeholders filled; escaping is the template's job. */
export function translator(lang: Lang): Translate {
  const catalog = catalogs[lang];
  return (key, vars) =>
    catalog[key].replace(/\{([a-z]+)\}/g, (whole, name: string) =>
      vars && name in vars ? String(vars[name]) : whole,
    );
}

/** The strings the page script (browser/) reads from its JSON data block, keys unprefixed. */
export function scriptMessages(lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(catalogs[lang])) {
    if (key.startsWith('js.')) out[key.slice(3)] = value;
  }
  return out;
}

/** For the test that every key exists in every language. */
export const messageCatalogs = catalogs;
