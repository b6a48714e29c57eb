// Types only, by path (see pdf.sanitiser.ts).
import type * as Mupdf from 'mupdf/dist/mupdf';
import { loadMupdf } from '../pdf.sanitiser';

// The rendition PDF tesseract writes (page images under an invisible text layer) is rewritten
// once more and then checked object by object before it is accepted: it may hold page images,
// the text layer's GlyphLessFont, and the page tree — nothing else. No Info, XMP, /ID, no
// scripts, actions, annotations, forms, embedded files or Form XObjects. Any other object
// means the file was not built as intended, and the rendition is not given.

const FORBIDDEN_KEYS = [
  'Info',
  'Metadata',
  'JavaScript',
  'JS',
  'AA',
  'OpenAction',
  'EmbeddedFile',
  'EmbeddedFiles',
  'Annots',
  'AcroForm',
  'Names',
  'URI',
  'Launch',
  'AF',
  'PieceInfo',
];
const FONT_NAME = '/GlyphLessFont';

/**
 * tesseract's PDFs (one per page, in page order) as one, with Info (Producer) and any /ID
 * removed, in one revision. Later pages are grafted onto the first.
 */
export async function stripRenditionPdf(pdfs: readonly Buffer[]): Promise<Buffer> {
  const m = await loadMupdf();
  const doc = new m.PDFDocument(pdfs[0]!);
  try {
    for (const more of pdfs.slice(1)) {
      const src = new m.PDFDocument(more);
      try {
        for (let i = 0; i < src.countPages(); i += 1) doc.graftPage(-1, src, i);
      } finally {
        src.destroy();
      }
    }
    const trailer = doc.getTrailer();
    trailer.delete('Info');
    trailer.delete('ID');
    trailer.get('Root').delete('Metadata');
    return Buffer.from(doc.saveToBuffer('garbage=4,compress').asUint8Array());
  } finally {
    doc.destroy();
  }
}

/** What in the PDF is not allowed in a rendition (empty: accepted). */
export async function renditionLeftovers(pdf: Buffer): Promise<string[]> {
  const m = await loadMupdf();
  const doc = new m.PDFDocument(pdf);
  const found = new Set<string>();
  try {
    const trailer = doc.getTrailer();
    trailer.forEach((_v, key) => {
      if (!['Root', 'Size'].includes(String(key))) found.add(`trailer /${String(key)}`);
    });
    for (let num = 1; num < doc.countObjects(); num += 1) checkObject(doc.newIndirect(num), found);
    if (doc.countVersions() > 1) found.add('more than one revision');
  } finally {
    doc.destroy();
  }
  return [...found].sort();
}

function checkObject(ref: Mupdf.PDFObject, found: Set<string>): void {
  const obj = ref.resolve();
  if (!obj.isDictionary() && !obj.isStream()) return;
  for (const key of FORBIDDEN_KEYS) if (!obj.get(key).isNull()) found.add(`/${key}`);
  const type = obj.get('Type').toString();
  const subtype = obj.get('Subtype').toString();
  if (type === '/Annot') found.add('annotation');
  if (type === '/XObject' && subtype !== '/Image') found.add(`XObject ${subtype}`);
  if (obj.isStream() && subtype === '/Form') found.add('Form XObject');
  if (type === '/Font' && obj.get('BaseFont').toString() !== FONT_NAME) found.add('a font');
  if (type === '/FontDescriptor' && obj.get('FontName').toString() !== FONT_NAME)
    found.add('a font');
  if (!obj.get('S').isNull()) found.add('an action');
}
