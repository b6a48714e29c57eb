import { detectAll } from 'tinyld';
import type { DetectedLanguage } from '../../core/record/detected-language';

// Language detection for routing testimony to a translator. Script counting comes first
// because it is exact where it applies (Hangul is only Korean) and works on short texts where
// statistical detectors guess.

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

// Per code point: not a letter, a letter, a Hangul letter or a Cyrillic letter.
const OTHER = 0;
const LETTER_OTHER = 1;
const LETTER_HANGUL = 2;
const LETTER_CYRILLIC = 3;

function classify(ch: string): number {
  if (!LETTER.test(ch)) return OTHER;
  if (HANGUL.test(ch)) return LETTER_HANGUL;
  return CYRILLIC.test(ch) ? LETTER_CYRILLIC : LETTER_OTHER;
}

// The class of every BMP code unit, from the same regexes, built once on first use (10-30 ms):
// three Unicode-property tests per character were most of the cost of a 4 KB testimony.
let bmpClasses: Uint8Array | null = null;

function bmpTable(): Uint8Array {
  if (bmpClasses) return bmpClasses;
  const table = new Uint8Array(0x10000);
  for (let cu = 0; cu < 0x10000; cu++) table[cu] = classify(String.fromCharCode(cu));
  return (bmpClasses = table);
}

function letterShares(text: string): { letters: number; hangul: number; cyrillic: number } {
  const table = bmpTable();
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < text.length; i++) {
    const cu = text.charCodeAt(i);
    // A surrogate pair is one astral code point: classified by the regexes themselves. A lone
    // surrogate is looked up like any code unit (it is no letter).
    if (cu >= 0xd800 && cu <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        counts[classify(text.slice(i, i + 2))]!++;
        i++;
        continue;
      }
    }
    counts[table[cu]!]!++;
  }
  const hangul = counts[LETTER_HANGUL]!;
  const cyrillic = counts[LETTER_CYRILLIC]!;
  const letters = counts[LETTER_OTHER]! + hangul + cyrillic;
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
