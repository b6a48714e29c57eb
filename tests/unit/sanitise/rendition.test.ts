// The safe rendition (worker/sanitise/rendition): each document format is redrawn from pixels
// with tesseract's text layer, and the PDF holds page images, the GlyphLessFont and nothing
// else — no Info, XMP, /ID, scripts, actions, annotations, forms or embedded files — by mupdf's
// own check, by qpdf's expanded view and by exiftool; no planted value survives; the OCR text
// carries the document's words; a long document is cut at the page limit and says so.
import { spawnSync } from 'node:child_process';
import { strToU8, zipSync } from 'fflate';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sanitiseFile } from '../../../worker/sanitise';
import { MAX_RENDITION_PAGES } from '../../../worker/sanitise/limits';
import { fromPageImages, makeRendition } from '../../../worker/sanitise/rendition/make-rendition';
import { loadMupdf } from '../../../worker/sanitise/pdf.sanitiser';
import { readCleanFile } from '../../../worker/sanitise/rendition/read-clean-file';
import { renditionLeftovers } from '../../../worker/sanitise/rendition/rendition-pdf';
import { buildHwp, HWP_BODY, HWP_PLANTED } from '../../fixtures/make-hwp';
import { buildDocx, buildOdt, CONTENT, PLANTED as OFFICE } from '../../fixtures/make-office';
import { makePdf } from '../../fixtures/make-pdf';
import {
  dumpTags,
  qpdfExpand,
  recoverable,
  sanitiseTestDirs,
} from '../../fixtures/make-sanitise-context';

jest.setTimeout(240_000);
const dirs = sanitiseTestDirs();

const STRUCTURE =
  /\/(Info|Metadata|JavaScript|JS|AA|OpenAction|EmbeddedFiles?|Annots|AcroForm|URI|Launch|XFA)\b/;

/** The rendition by qpdf's reading: only images, the glyphless font, pages and their text. */
function expectOnlyPixelsAndText(pdf: Buffer): string {
  const qdf = qpdfExpand(pdf, dirs.fixtures);
  expect(qdf).not.toMatch(STRUCTURE);
  const fonts = [...qdf.matchAll(/\/BaseFont \/(\S+)/g)].map((m) => m[1]);
  expect(new Set(fonts)).toEqual(new Set(['GlyphLessFont']));
  const xobjects = [
    ...qdf.matchAll(/\/Type \/XObject\s+\/Subtype \/(\w+)|\/Subtype \/(\w+)\s+\/Type \/XObject/g),
  ];
  for (const m of xobjects) expect(m[1] ?? m[2]).toBe('Image');
  expect(qdf).not.toMatch(/\/Subtype \/Form/);
  return qdf;
}

async function renditionOf(name: string, data: Buffer) {
  const result = await sanitiseFile(data, { name, type: '' }, dirs.ctx);
  if (result.status !== 'clean') throw new Error(`${name} not clean: ${result.reason}`);
  const readings = await readCleanFile(data, result, dirs.ctx);
  if (!readings.rendition) throw new Error(`${name}: no rendition (${readings.notes.join('; ')})`);
  return { ...readings, rendition: readings.rendition };
}

const ODF_PLANTED = Object.values(OFFICE).filter((v) => v !== OFFICE.rsid);

/** A minimal EPUB 3 written here (the EPUB tests make theirs with LibreOffice). */
async function buildEpub(): Promise<Buffer> {
  const opf =
    '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">' +
    '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">PLANT-EPUB-ID</dc:identifier>' +
    '<dc:title>PLANT-EPUB-TITLE</dc:title><dc:creator>PLANT-EPUB-AUTHOR</dc:creator><dc:language>en</dc:language>' +
    '<meta property="dcterms:modified">2020-01-01T00:00:00Z</meta></metadata>' +
    '<manifest><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/></manifest>' +
    '<spine><itemref idref="c1"/></spine></package>';
  return Buffer.from(
    zipSync({
      mimetype: [strToU8('application/epub+zip'), { level: 0 }],
      'META-INF/container.xml': strToU8(
        '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">' +
          '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
      ),
      'OEBPS/content.opf': strToU8(opf),
      'OEBPS/c1.xhtml': strToU8(
        '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>PLANT-EPUB-HTITLE</title></head>' +
          '<body><p>Our wages were withheld for three months.</p></body></html>',
      ),
    }),
  );
}

test.each([
  ['a.docx', buildDocx, ODF_PLANTED, CONTENT.body.split(' ').slice(-3).join(' ')],
  ['a.odt', buildOdt, ODF_PLANTED, 'construction site'],
  [
    'a.epub',
    buildEpub,
    ['PLANT-EPUB-ID', 'PLANT-EPUB-TITLE', 'PLANT-EPUB-AUTHOR', 'PLANT-EPUB-HTITLE'],
    'withheld for three months',
  ],
  ['a.hwp', buildHwp, HWP_PLANTED, HWP_BODY[0]!.split(' ')[2]!],
  [
    'a.html',
    async () =>
      Buffer.from(
        '<html><head><title>PLANT-HTML-TITLE</title><meta name="author" content="PLANT-HTML-AUTHOR">' +
          '<script>document.write("PLANT-HTML-SCRIPT")</script></head>' +
          '<body><h1>Привет мир</h1><p>Нам не платили <a href="https://plant.example/PLANT-HTML-LINK">три месяца</a>.</p></body></html>',
      ),
    [
      'PLANT-HTML-TITLE',
      'PLANT-HTML-AUTHOR',
      'PLANT-HTML-SCRIPT',
      'PLANT-HTML-LINK',
      'plant.example',
    ],
    'платили',
  ],
  [
    'a.svg',
    async () =>
      Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="120"><metadata>PLANT-SVG-META</metadata>' +
          '<rect width="600" height="120" fill="white"/><text x="20" y="70" font-family="DejaVu Sans" font-size="36">Wages were withheld</text></svg>',
      ),
    ['PLANT-SVG-META'],
    'withheld',
  ],
])(
  '%s: the rendition is pixels and OCR text only, with the words and no planted value',
  async (name, build, planted, word) => {
    const data = await build();
    const { rendition, ocr, notes } = await renditionOf(name, data);
    expect(rendition).toMatchObject({ pages: 1, dpi: 150, truncated: false });
    expect(rendition.data.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await renditionLeftovers(rendition.data)).toEqual([]);
    const qdf = expectOnlyPixelsAndText(rendition.data);
    const tags = await dumpTags(rendition.data, 'pdf', dirs.ctx);
    expect(tags.keys.filter((k) => /Author|Creator|Producer|Title|XMP|Subject/.test(k))).toEqual(
      [],
    );
    expect(recoverable(rendition.data, planted, qdf, tags.text)).toEqual([]);
    expect(ocr?.source).toBe('rendition');
    expect(ocr?.text).toContain(word);
    expect(notes[0]).toMatch(/safe rendition: 1 page redrawn from pixels at 150 DPI/);
  },
);

test('a weaponised PDF drawn as it came (scripts, embedded file, annotations) still yields only pixels', async () => {
  const { path, planted } = await makePdf(dirs.fixtures);
  const original = readFileSync(path);
  expect((await renditionLeftovers(original)).length).toBeGreaterThan(0); // the check sees them
  const r = await makeRendition(original, 'application/pdf', dirs.ctx);
  expect(r.pages).toBe(2);
  // The two pages were OCR'd in two runs and merged: both are in the PDF, in order.
  const npages = join(dirs.fixtures, 'weaponised-rendition.pdf');
  writeFileSync(npages, r.data);
  expect(spawnSync('qpdf', ['--show-npages', npages]).stdout.toString().trim()).toBe('2');
  expect(r.text.indexOf('Testimony page one')).toBeLessThan(r.text.indexOf('Second page text'));
  expect(await renditionLeftovers(r.data)).toEqual([]);
  const qdf = expectOnlyPixelsAndText(r.data);
  expect(recoverable(r.data, planted, qdf)).toEqual([]);
  expect(r.text).toContain('Testimony page one');
});

test(`a document past ${MAX_RENDITION_PAGES} pages is rendered to its first ${MAX_RENDITION_PAGES}, and says so`, async () => {
  const page = { box: '0 0 144 72', content: 'BT /F1 12 Tf 10 20 Td (Page) Tj ET' };
  const long = pdfOfPages(Array.from({ length: MAX_RENDITION_PAGES + 3 }, () => page));
  const { rendition, notes } = await renditionOf('long.pdf', long);
  expect(rendition).toMatchObject({ pages: MAX_RENDITION_PAGES, truncated: true });
  expect(notes).toContain(
    `safe rendition covers only the first ${MAX_RENDITION_PAGES} pages (page limit)`,
  );
});

/** A hand-written PDF whose pages are the given content streams, each on its own media box. */
function pdfOfPages(pages: { box: string; content: string }[]): Buffer {
  const first = 4; // catalog, page tree, font, then a page and its content per page
  const kids = pages.map((_, i) => `${first + 2 * i} 0 R`).join(' ');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ...pages.flatMap((p, i) => [
      `<< /Type /Page /Parent 2 0 R /MediaBox [${p.box}] /Contents ${first + 2 * i + 1} 0 R ` +
        '/Resources << /Font << /F1 3 0 R >> >> >>',
      `<< /Length ${p.content.length} >>\nstream\n${p.content}\nendstream`,
    ]),
  ];
  const source = join(dirs.fixtures, 'pages-source.pdf');
  writeFileSync(
    source,
    `%PDF-1.7\n${objects.map((o, i) => `${i + 1} 0 obj ${o} endobj`).join('\n')}\ntrailer << /Root 1 0 R /Size ${objects.length + 1} >>\n%%EOF\n`,
  );
  const fixed = join(dirs.fixtures, 'pages.pdf');
  expect(spawnSync('qpdf', [source, fixed]).status).not.toBe(2);
  return readFileSync(fixed);
}

test('pages OCR’d one per tesseract keep their order when a later page finishes first', async () => {
  // Page one is a full page of text; pages two and three one word each, OCR'd while page one
  // still runs: each page's text layer must still sit on its own page.
  const lines = Array.from(
    { length: 40 },
    (_, i) => `BT /F1 12 Tf 40 ${760 - 18 * i} Td (Alpha line ${i} of the first page) Tj ET`,
  );
  const word = (w: string) => `BT /F1 28 Tf 20 30 Td (${w}) Tj ET`;
  const data = pdfOfPages([
    { box: '0 0 612 792', content: lines.join('\n') },
    { box: '0 0 288 90', content: word('Bravo') },
    { box: '0 0 288 90', content: word('Charlie') },
  ]);
  const r = await makeRendition(data, 'application/pdf', dirs.ctx);
  expect(r.pages).toBe(3);
  const m = await loadMupdf();
  const doc = new m.PDFDocument(r.data);
  try {
    const texts = [0, 1, 2].map((i) =>
      doc.loadPage(i).toStructuredText('preserve-whitespace').asText(),
    );
    expect(texts[0]).toContain('Alpha line');
    expect(texts[1]).toContain('Bravo');
    expect(texts[2]).toContain('Charlie');
    expect(texts[0]).not.toMatch(/Bravo|Charlie/);
  } finally {
    doc.destroy();
  }
  expect(r.text.indexOf('Alpha')).toBeLessThan(r.text.indexOf('Bravo'));
  expect(r.text.indexOf('Bravo')).toBeLessThan(r.text.indexOf('Charlie'));
  expect(await renditionLeftovers(r.data)).toEqual([]);
});

test('a page whose OCR fails fails the rendition with tesseract’s error, and leaves no scratch files', async () => {
  const missing = join(dirs.fixtures, 'no-such-page.png');
  const before = readdirSync(dirs.ctx.tmpDir);
  await expect(fromPageImages([missing, missing, missing], 150, 3, dirs.ctx)).rejects.toThrow(
    /tesseract/,
  );
  expect(readdirSync(dirs.ctx.tmpDir)).toEqual(before);
});
