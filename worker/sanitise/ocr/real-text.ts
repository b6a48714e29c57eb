import type { OcrWord } from './tesseract';

// Whether what tesseract read from a photo is real text, worth a reviewer's reading and a
// translation: a street or a face still yields "words", short, unsure, mostly symbols. The rule
// over tesseract's word confidences (0–100) is in ../FORMATS.md, "Photos of paper".

export const MIN_WORD_CONFIDENCE = 60;
export const MIN_LETTERS = 12;
export const MIN_READ_SHARE = 0.5;

const LETTER = /\p{L}/gu;
const ALNUM = /[\p{L}\p{N}]/u;

// A Hangul syllable or a Han character is a whole syllable (two or three letters' worth):
// counted twice, so a short Korean sentence weighs what its romanisation would.
const SYLLABIC = /[\p{Script=Hangul}\p{Script=Han}]/gu;
const letters = (s: string): number =>
  (s.match(LETTER)?.length ?? 0) + (s.match(SYLLABIC)?.length ?? 0);

export interface TextVerdict {
  real: boolean;
  /** Mean confidence of the read words, 0–1 (0 when none). */
  confidence: number;
  letters: number;
}

export function judgeText(words: readonly OcrWord[]): TextVerdict {
  const candidates = words.filter((w) => ALNUM.test(w.text));
  const read = candidates.filter((w) => w.conf >= MIN_WORD_CONFIDENCE && letters(w.text) >= 2);
  const total = read.reduce((n, w) => n + letters(w.text), 0);
  const confidence =
    read.length === 0 ? 0 : read.reduce((n, w) => n + w.conf, 0) / read.length / 100;
  const share = candidates.length === 0 ? 0 : read.length / candidates.length;
  return {
    real: total >= MIN_LETTERS && share >= MIN_READ_SHARE,
    confidence: Math.round(confidence * 100) / 100,
    letters: total,
  };
}

/** The recognised text as reviewers read it: lines trimmed, runs of blank lines collapsed. */
export function tidyText(text: string): string {
  return text
    .replace(/\f/g, '\n\n')
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
