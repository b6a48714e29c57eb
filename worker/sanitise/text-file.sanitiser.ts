import { sanitiseText } from '../text/sanitise';
import type { SanitiseContext, FileSanitiseReport, SanitiseResult, Sanitiser } from './types';
import { verifyClean } from './verify';

// Plain text, CSV and Markdown attachments: the testimony text's normalisation and invisible-mark
// removal. The declared name only picks the extension among these three.

const FLAVOURS: Record<string, { extension: string; mime: string }> = {
  txt: { extension: 'txt', mime: 'text/plain; charset=utf-8' },
  csv: { extension: 'csv', mime: 'text/csv; charset=utf-8' },
  md: { extension: 'md', mime: 'text/markdown; charset=utf-8' },
  markdown: { extension: 'md', mime: 'text/markdown; charset=utf-8' },
};

const LABELS: Record<string, string> = {
  zeroWidth: 'zero-width characters',
  bidiControls: 'bidirectional controls',
  tagCharacters: 'Unicode tag characters',
  variationSelectors: 'variation selectors',
  hangulFillers: 'Hangul fillers',
  otherIgnorable: 'other invisible characters',
  controlCharacters: 'control characters',
};

// exiftool's reading of a text file: encoding, line ending, counts.
export const TEXT_STRUCTURAL = [
  /^File:(MIMEEncoding|ByteOrderMark|Newlines|LineCount|WordCount)$/,
  /^File:(Delimiter|Quoting|ColumnCount|RowCount)$/,
];

export class TextFileSanitiser implements Sanitiser {
  readonly formats = ['text/plain'];

  async sanitise(input: Buffer, ctx: SanitiseContext, declaredName = ''): Promise<SanitiseResult> {
    const report: FileSanitiseReport = { format: 'text', removed: [], kept: [] };
    let decoded: string;
    try {
      // fatal: invalid UTF-8 is refused, never repaired with U+FFFD behind the reviewer's back.
      decoded = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      return { status: 'unsanitised', reason: 'NOT_UTF8', report };
    }
    const { text, report: counts } = sanitiseText(decoded);
    for (const [kind, n] of Object.entries(counts.removed)) {
      if (n > 0) report.removed.push(`${LABELS[kind] ?? kind} (${n})`);
    }
    if (input.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))) {
      report.removed.push('byte order mark');
    }
    report.notes = [
      `newlines normalised: ${counts.newlinesNormalised}`,
      `spaces normalised: ${counts.spacesNormalised}`,
      `NFKC changes: ${counts.nfkcChanged}`,
      `trailing spaces trimmed: ${counts.trailingSpacesTrimmed}`,
      `length: ${counts.lengthBefore} → ${counts.lengthAfter} code points`,
    ];
    report.kept = ['text, as UTF-8'];
    const suffix = /\.([A-Za-z]+)$/.exec(declaredName)?.[1]?.toLowerCase() ?? 'txt';
    const flavour = FLAVOURS[suffix] ?? FLAVOURS['txt']!;
    const data = Buffer.from(text, 'utf8');
    try {
      const verdict = await verifyClean(data, flavour.extension, ctx, TEXT_STRUCTURAL);
      if (!verdict.ok) {
        report.notes.push(`left after cleaning: ${verdict.leftover.join(', ')}`);
        return { status: 'unsanitised', reason: 'VERIFY_FAILED', report };
      }
    } catch {
      return { status: 'unsanitised', reason: 'TOOL_FAILED', report };
    }
    return { status: 'clean', data, ...flavour, report };
  }
}
