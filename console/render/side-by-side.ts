import { padEnd, wrap } from './width';

// Two texts in two columns, each wrapped to half the terminal by display width, so a Korean
// line (two columns per syllable) and its English translation stay aligned.

const GUTTER = ' │ ';

export function sideBySide(
  left: { title: string; text: string },
  right: { title: string; text: string },
  width: number,
): string {
  const col = Math.max(10, Math.floor((width - GUTTER.length) / 2));
  const l = [left.title, '─'.repeat(col), ...wrap(left.text, col)];
  const r = [right.title, '─'.repeat(col), ...wrap(right.text, col)];
  const n = Math.max(l.length, r.length);
  const out: string[] = [];
  for (let i = 0; i < n; i++)
    out.push(`${padEnd(l[i] ?? '', col)}${GUTTER}${r[i] ?? ''}`.trimEnd());
  return out.join('\n');
}
