import { detectAll } from 'tinyld';

// Language detection for routing testimony to a translator. Script counting comes first
// because it is exact where it applies (Hangul is only Korean) and works on short texts where
// statistical detectors guess.

export interface DetectedLanguage {
  /** ISO 639-1 code, or 'und' when the text gives too little to go on. */
  lang: string;
  /** 0..1 */
  confidence: number;
  method: 'script' | 'detector' | 'none';
}

const UNDETERMINED: DetectedLanguage = { lang: 'und', confidence: 0, method: 'none' };
// Below this many letters neither scripts nor n-grams say anything reliable.
const MIN_LETTERS = 3;
const SCRIPT_MAJORITY = 0.5;
// Cyrillic testimony from this population is overwhelmingly Russian; another Cyrillic language
// is only reported when the detector is fairly sure of it.
const CYRILLIC_LANGUAGES = ['ru', 'uk', 'be', 'bg', 'mk', 'sr', 'kk', 'mn', 'ky', 'tg'];
const OTHER_CYRILLIC_MIN_ACCURACY = 0.5;
const ISO_639_1 = /^[a-z]{2}$/;

const LETTER = /\p{L}/u;
const HANGUL = /\p{Script=Hangul}/u;
const CYRILLIC = /\p{Script=Cyrillic}/u;

function letterShares(text: string): { letters: number; hangul: number; cyrillic: number } {
  let letters = 0;
  let hangul = 0;
  let cyrillic = 0;
  for (const ch of text) {
    if (!LETTER.test(ch)) continue;
    letters++;
    if (HANGUL.test(ch)) hangul++;
    else if (CYRILLIC.test(ch)) cyrillic++;
  }
  return {
    letters,
    hangul: letters ? hangul / letters : 0,
    cyrillic: letters ? cyrillic / letters : 0,
  };
}

function detectCyrillic(text: string, share: number): DetectedLanguage {
  const ranked = detectAll(text, { only: CYRILLIC_LANGUAGES });
  const top = ranked[0];
  if (top && top.lang !== 'ru' && top.accuracy >= OTHER_CYRILLIC_MIN_ACCURACY) {
    return { lang: top.lang, confidence: top.accuracy, method: 'detector' };
  }
  const ru = ranked.find((r) => r.lang === 'ru');
  if (ru) return { lang: 'ru', confidence: ru.accuracy, method: 'detector' };
  // The script alone says "a Cyrillic language"; Russian is the prior, so half confidence.
  return { lang: 'ru', confidence: share * 0.5, method: 'script' };
}

export function detectLanguage(text: string): DetectedLanguage {
  const { letters, hangul, cyrillic } = letterShares(text);
  if (letters < MIN_LETTERS) return UNDETERMINED;
  if (hangul >= SCRIPT_MAJORITY) return { lang: 'ko', confidence: hangul, method: 'script' };
  if (cyrillic >= SCRIPT_MAJORITY) return detectCyrillic(text, cyrillic);
  // tinyld returns ISO 639-3 for languages without a two-letter code; those are not usable
  // as translator language codes, so they do not count.
  const top = detectAll(text).find((r) => ISO_639_1.test(r.lang));
  if (!top) return UNDETERMINED;
  return { lang: top.lang, confidence: Math.min(1, Math.max(0, top.accuracy)), method: 'detector' };
}
