import { readdirSync, readFileSync } from 'node:fs';
import { loadMupdf, PdfSanitiser } from '../../../worker/sanitise/pdf.sanitiser';
import { isAllowedTag } from '../../../worker/sanitise/verify';
import type { Fixture } from '../../fixtures/make-image';
import { makePdf, PDF_ID, PDF_TEXT } from '../../fixtures/make-pdf';
import {
  dumpTags,
  sanitiseTestDirs,
  mat2Clean,
  qpdfExpand,
  recoverable,
} from '../../fixtures/make-sanitise-context';

const dirs = sanitiseTestDirs();
let fixture: Fixture;
beforeAll(async () => {
  fixture = await makePdf(dirs.fixtures);
});

test('the fixture really holds what we plant, the old Author only in its first revision', () => {
  const raw = readFileSync(fixture.path);
  expect(recoverable(raw, fixture.planted)).toEqual(fixture.planted);
  expect(qpdfExpand(raw, dirs.fixtures)).not.toMatch(/PLANT-PDF-AUTHOR\)/);
});

test('PDF: Info, XMP, history, /ID, files, JavaScript, annotation authors, image EXIF gone', async () => {
  const result = await new PdfSanitiser().sanitise(readFileSync(fixture.path), dirs.ctx);
  if (result.status !== 'clean') throw new Error(`not clean: ${JSON.stringify(result)}`);
  const expanded = qpdfExpand(result.data, dirs.fixtures);
  const { keys, text } = await dumpTags(result.data, 'pdf', dirs.ctx);
  expect(recoverable(result.data, fixture.planted, expanded, text)).toEqual([]);
  expect(keys.filter((k) => !isAllowedTag(k))).toEqual([]);
  expect(result.data.toString('latin1').match(/%%EOF/g)).toHaveLength(1); // one revision
  expect(result.data.toString('latin1')).not.toMatch(/\/ID\s*\[/); // qpdf adds its own when expanding
  expect(expanded).not.toMatch(/\/(JavaScript|JS|EmbeddedFiles|OpenAction|Info|Metadata)\b/);
  expect(expanded.toUpperCase()).not.toContain(PDF_ID);

  const mupdf = await loadMupdf();
  const doc = mupdf.Document.openDocument(result.data, 'application/pdf');
  expect(doc.countPages()).toBe(2);
  PDF_TEXT.forEach((text, i) => {
    expect(doc.loadPage(i).toStructuredText('preserve-whitespace').asText()).toContain(text);
  });
  expect(expanded).toContain('annotation note'); // annotation content is testimony, kept
  expect(expanded).toContain('/DCTDecode'); // the image is still there, pixels untouched
  expect(result.report.removed).toEqual(
    expect.arrayContaining([
      'PDF Info dictionary',
      'XMP metadata streams',
      'incremental-update history',
      'trailer /ID',
      'embedded files',
      'JavaScript',
      'open action',
      'annotation authors and dates',
      'metadata segments of embedded JPEG images (EXIF, XMP, IPTC, comments)',
    ]),
  );
  expect(readdirSync(dirs.ctx.tmpDir)).toEqual([]);

  const mat2 = mat2Clean(fixture.path, dirs.fixtures, 'pdf');
  if (mat2 !== undefined) {
    const mat2Left = new Set(recoverable(mat2, fixture.planted, qpdfExpand(mat2, dirs.fixtures)));
    const ours = recoverable(result.data, fixture.planted, expanded);
    expect(ours.filter((p) => !mat2Left.has(p))).toEqual([]);
  }
});

test('an encrypted or broken PDF is held back', async () => {
  const result = await new PdfSanitiser().sanitise(Buffer.from('%PDF-1.7\ngarbage'), dirs.ctx);
  expect(result.status).toBe('unsanitised');
});
