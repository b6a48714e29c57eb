import type { RecordFile } from '../../core/record/record-body';
import { say } from '../messages-ko';
import { formatBytes } from './format-bytes';

// Under a clean file in `sori show`: its safe rendition (a PDF redrawn from pixels, safe to open
// anywhere; `sori files get ID N --rendition`) and the text read from it by OCR, with its
// translation when there is one — shown next to the image it came from.

const MAX_LINES = 12;

function indented(label: string, text: string): string[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const shown = lines.slice(0, MAX_LINES);
  const more = lines.length - shown.length;
  return [
    `   ${label}:`,
    ...shown.map((l) => `     ${l}`),
    ...(more > 0 ? [`     … ${say('{n} more lines (--json for all)', { n: more })}`] : []),
  ];
}

export function readingLines(f: Extract<RecordFile, { status: 'clean' }>, n: number): string[] {
  const out: string[] = [];
  const r = f.rendition;
  if (r) {
    const unit = r.pages === 1 ? '{n} page' : '{n} pages';
    const pages = say(r.truncated ? `${unit} (first pages only)` : unit, { n: r.pages });
    out.push(
      `   ${say('safe rendition: PDF of pixels + OCR text')}, ${pages}, ${r.dpi} DPI, ` +
        `${formatBytes(r.size)} (sori files get <id> ${n} --rendition)`,
    );
  }
  const ocr = f.ocr;
  if (ocr) {
    const source = say(r ? 'text of the rendition (OCR)' : 'text read from the image (OCR)');
    out.push(...indented(`${source}, ${ocr.lang.code}`, ocr.text));
    const t = ocr.translation;
    if ('text' in t)
      out.push(...indented(`${say('machine translation')} (${t.source}→${t.target})`, t.text));
    else if (t.reason !== 'not-requested' && t.reason !== 'same-language')
      out.push(`   ${say('not translated')}: ${t.reason}${t.code ? ` (${t.code})` : ''}`);
  }
  return out;
}
