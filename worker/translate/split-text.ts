// Splits text into requests an engine accepts, between sentences and never merging lines
// (reviewers compare line by line). Lengths are in code points, as LibreTranslate counts them.

export interface TextChunk {
  text: string;
  /** Whitespace that followed this chunk in the original; re-inserted on join. */
  separator: string;
}

export interface SplitText {
  /** Whitespace before the first chunk. */
  leading: string;
  chunks: TextChunk[];
}

const CLOSERS = `"'”’»)\\]」』`;
// A line break (with the blanks around it); blanks after sentence-final punctuation (Korean
// 다. 요. included); or the empty gap after a CJK full stop, which is written without a space.
const SEPARATOR = new RegExp(
  `[ \\t]*\\n\\s*|(?<=[.!?…。！？][${CLOSERS}]*)[ \\t]+|(?<=[。！？][${CLOSERS}]*)(?=[^\\s${CLOSERS}])`,
  'gu',
);
const WORD_GAP = /([ \t]+)/u;

function cpLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function sentences(body: string, trailing: string): TextChunk[] {
  const units: TextChunk[] = [];
  let start = 0;
  for (const m of body.matchAll(SEPARATOR)) {
    const text = body.slice(start, m.index);
    if (text) units.push({ text, separator: m[0] });
    else if (units.length) units[units.length - 1]!.separator += m[0];
    start = m.index + m[0].length;
  }
  units.push({ text: body.slice(start), separator: trailing });
  return units;
}

/** A sentence over the limit: cut between words, and inside a word only as a last resort. */
function hardSplit(unit: TextChunk, limit: number): TextChunk[] {
  const parts: TextChunk[] = [];
  const tokens = unit.text.split(WORD_GAP); // word, gap, word, gap, ..., word
  for (let i = 0; i < tokens.length; i += 2) {
    const word = Array.from(tokens[i]!);
    const gap = tokens[i + 1] ?? unit.separator;
    for (let at = 0; at < word.length; at += limit) {
      const end = at + limit >= word.length;
      parts.push({ text: word.slice(at, at + limit).join(''), separator: end ? gap : '' });
    }
  }
  return parts.filter((p) => p.text !== '');
}

export function splitText(text: string, limit: number): SplitText {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError('limit must be a positive integer');
  const leading = /^\s*/u.exec(text)![0];
  const rest = text.slice(leading.length);
  if (!rest) return { leading, chunks: [] };
  const trailing = /\s*$/u.exec(rest)![0];
  const units = sentences(rest.slice(0, rest.length - trailing.length), trailing).flatMap((u) =>
    cpLength(u.text) > limit ? hardSplit(u, limit) : [u],
  );

  const chunks: TextChunk[] = [];
  let current: TextChunk | undefined;
  let currentLength = 0;
  for (const unit of units) {
    const length = cpLength(unit.text);
    const gap = current ? cpLength(current.separator) : 0;
    if (current && !current.separator.includes('\n') && currentLength + gap + length <= limit) {
      current.text += current.separator + unit.text;
      current.separator = unit.separator;
      currentLength += gap + length;
    } else {
      if (current) chunks.push(current);
      current = { ...unit };
      currentLength = length;
    }
  }
  if (current) chunks.push(current);
  return { leading, chunks };
}

/** Rebuilds the text from translated chunks, with the original whitespace between them. */
export function joinChunks(split: SplitText, translated: readonly string[]): string {
  return (
    split.leading + split.chunks.map((c, i) => (translated[i] ?? '').trim() + c.separator).join('')
  );
}
