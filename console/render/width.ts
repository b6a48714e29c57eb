// Terminal display width (wcwidth): East Asian wide and fullwidth characters take two columns
// (Hangul syllables and jamo leads, CJK, kana, fullwidth forms, most emoji); combining marks,
// format characters and Hangul medial/final jamo take none. Text is cut only between graphemes.

const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], // Hangul Jamo initial consonants
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x2753, 0x2755],
  [0x2795, 0x2797],
  [0x2b1b, 0x2b1c],
  [0x2e80, 0x303e], // CJK radicals, punctuation
  [0x3041, 0x33ff], // kana, Hangul compatibility jamo, enclosed CJK
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f], // Hangul Jamo Extended-A
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60], // fullwidth forms
  [0xffe0, 0xffe6],
  [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a],
  [0x1f200, 0x1f251],
  [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff],
  [0x1f900, 0x1f9ff],
  [0x1fa70, 0x1faff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

const ZERO = /^[\p{Mn}\p{Me}\p{Cf}\p{Cc}\u1160-\u11ff\ud7b0-\ud7ff]$/u;

function isWide(cp: number): boolean {
  let lo = 0;
  let hi = WIDE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = WIDE[mid]!;
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  return false;
}

export function codePointWidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (ZERO.test(ch)) return 0;
  return isWide(cp) ? 2 : 1;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** A grapheme is as wide as its widest code point (an emoji with a modifier is still 2). */
export function graphemeWidth(g: string): number {
  let w = 0;
  for (const ch of g) w = Math.max(w, codePointWidth(ch));
  if (g.includes('\ufe0f') && w === 1) w = 2; // emoji presentation selector
  return w;
}

export function stringWidth(text: string): number {
  let w = 0;
  for (const g of graphemes(text)) w += graphemeWidth(g);
  return w;
}

export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

/** Cuts to at most `width` columns, marking the cut with an ellipsis. */
export function truncate(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  let out = '';
  let w = 0;
  for (const g of graphemes(text)) {
    const gw = graphemeWidth(g);
    if (w + gw > width - 1) break;
    out += g;
    w += gw;
  }
  return `${out}…`;
}

/** Hard-splits one word that is wider than the line, between graphemes. */
function splitWord(word: string, width: number): string[] {
  const parts: string[] = [];
  let cur = '';
  let w = 0;
  for (const g of graphemes(word)) {
    const gw = graphemeWidth(g);
    if (w + gw > width && cur) {
      parts.push(cur);
      cur = '';
      w = 0;
    }
    cur += g;
    w += gw;
  }
  if (cur) parts.push(cur);
  return parts;
}

/** Wraps on spaces to lines of at most `width` columns; newlines in the text are kept. */
export function wrap(text: string, width: number): string[] {
  const cols = Math.max(1, width);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const word of paragraph.split(/ +/)) {
      const pieces = stringWidth(word) > cols ? splitWord(word, cols) : [word];
      for (const piece of pieces) {
        const pw = stringWidth(piece);
        const sep = line ? 1 : 0;
        if (lineWidth + sep + pw <= cols) {
          line += (sep ? ' ' : '') + piece;
          lineWidth += sep + pw;
        } else {
          lines.push(line);
          line = piece;
          lineWidth = pw;
        }
      }
    }
    lines.push(line);
  }
  return lines;
}

/** Terminal columns: the TTY's, else COLUMNS, else 100 (piped output). */
export function terminalWidth(): number {
  const env = Number(process.env.COLUMNS);
  if (process.stdout.isTTY && process.stdout.columns) return process.stdout.columns;
  return Number.isInteger(env) && env >= 40 ? env : 100;
}
