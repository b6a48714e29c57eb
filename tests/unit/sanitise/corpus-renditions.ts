// The corpus test's view of renditions and OCR text (issue 15): a document's safe rendition is
// read like any clean output (raw bytes, exiftool -a -G1 -ee3 -u, qpdf --qdf) and by the
// rendition's own object check; no planted value may be in it or in the file's OCR text; and
// every document format has one.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { renditionLeftovers } from '../../../worker/sanitise/rendition/rendition-pdf';
import type { SanitiseResult } from '../../../worker/sanitise';
import { qpdfExpand, recoverable, type TestDirs } from '../../fixtures/make-sanitise-context';

const DOCUMENTS = new Set(['.pdf', '.docx', '.odt', '.svg', '.html', '.hwp', '.hwpx']);

export async function renditionFindings(
  item: { name: string; planted: string[] },
  result: Extract<SanitiseResult, { status: 'clean' }>,
  dirs: TestDirs,
): Promise<Record<string, unknown>> {
  const findings: Record<string, unknown> = {};
  const key = `${item.name} rendition`;
  const leftInText = result.ocr ? recoverable(Buffer.from(result.ocr.text), item.planted) : [];
  if (leftInText.length > 0) findings[`${item.name} OCR text`] = { left: leftInText };
  const r = result.rendition;
  if (!r) {
    if (DOCUMENTS.has(extname(item.name))) findings[key] = 'missing';
    return findings;
  }
  const path = join(dirs.ctx.tmpDir, 'corpus-rendition.pdf');
  writeFileSync(path, r.data, { mode: 0o600 });
  const exif = spawnSync('exiftool', ['-a', '-G1', '-ee3', '-u', path]).stdout.toString('utf8');
  const left = recoverable(r.data, item.planted, exif, qpdfExpand(r.data, dirs.fixtures));
  if (left.length > 0) findings[key] = { left };
  const structure = await renditionLeftovers(r.data);
  if (structure.length > 0) findings[`${key} structure`] = structure;
  return findings;
}
