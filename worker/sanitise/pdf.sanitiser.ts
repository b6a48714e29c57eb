import vm from 'node:vm';
// Types only, by path: tsconfig's node10 resolution does not read mupdf's `exports` map.
import type * as Mupdf from 'mupdf/dist/mupdf';
import { stripJpegSegments } from './image.sanitiser';
import type { SanitiseContext, FileSanitiseReport, SanitiseResult, Sanitiser } from './types';
import { verifyClean } from './verify';
import { LimitExceeded, MAX_PDF_PAGE_SIDE, MAX_PDF_PAGES } from './limits';

// mupdf is ESM-only with top-level await (WASM), so neither require() nor a tsc-compiled
// import() can load it from CommonJS. A vm.Script with the main context's loader does, in Node
// and under Jest alike. Values crossing from Jest's realm must not be object/array literals
// (mupdf checks `instanceof Object`), so this file builds PDF objects only through mupdf.
let mupdf: Promise<typeof Mupdf> | undefined;
export function loadMupdf(): Promise<typeof Mupdf> {
  mupdf ??= new vm.Script('import("mupdf")', {
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  }).runInThisContext() as Promise<typeof Mupdf>;
  return mupdf;
}

type PDFObject = Mupdf.PDFObject;

const CATALOG_KEYS = ['Metadata', 'OpenAction', 'AA', 'PieceInfo', 'AF', 'SpiderInfo', 'Perms'];
const ANY_OBJECT_KEYS = ['Metadata', 'PieceInfo', 'LastModified', 'AA', 'AF'];
const ANNOT_KEYS = ['T', 'M', 'CreationDate', 'NM'];
const DROP_ANNOTS = new Set(['FileAttachment', 'Sound', 'Movie', 'RichMedia', 'Screen', '3D']);

export class PdfSanitiser implements Sanitiser {
  readonly formats = ['application/pdf'];

  async sanitise(input: Buffer, ctx: SanitiseContext): Promise<SanitiseResult> {
    const report: FileSanitiseReport = { format: 'pdf', removed: [], kept: [] };
    const m = await loadMupdf();
    let doc: Mupdf.PDFDocument | undefined;
    try {
      doc = new m.PDFDocument(input);
      if (doc.needsPassword()) return { status: 'unsanitised', reason: 'ENCRYPTED', report };
      if (doc.countPages() > MAX_PDF_PAGES)
        return { status: 'unsanitised', reason: 'PDF_TOO_MANY_PAGES', report };
      const removed = new Set<string>();
      if (doc.countVersions() > 1) removed.add('incremental-update history');
      if (doc.wasRepaired()) report.notes = ['damaged cross-reference table repaired by mupdf'];
      cleanDocument(doc, removed);
      const pages = doc.countPages();
      // One fresh revision: unreferenced objects collected, streams recompressed.
      const data = singleRevisionTrailer(
        m,
        Buffer.from(doc.saveToBuffer('garbage=4,compress').asUint8Array()),
      );
      report.removed = [...removed].sort();
      report.kept.push(`${pages} pages, their text, fonts and images`);
      const verdict = await verifyClean(data, 'pdf', ctx);
      if (!verdict.ok) {
        report.notes = [
          ...(report.notes ?? []),
          `left after cleaning: ${verdict.leftover.join(', ')}`,
        ];
        return { status: 'unsanitised', reason: 'VERIFY_FAILED', report };
      }
      return { status: 'clean', data, mime: 'application/pdf', extension: 'pdf', report };
    } catch (err) {
      const reason = err instanceof LimitExceeded ? err.code : 'TOOL_FAILED';
      return { status: 'unsanitised', reason, report };
    } finally {
      doc?.destroy();
    }
  }
}

/**
 * mupdf's writer carries the trailer's /Info and /ID over from the revisions it read, even when
 * they were deleted from the newest trailer (with xref streams, each revision's trailer is its
 * own object). The saved file has one revision; opening it again and clearing that one trailer
 * leaves nothing older for the writer to carry.
 */
function singleRevisionTrailer(m: typeof Mupdf, saved: Buffer): Buffer {
  const doc = new m.PDFDocument(saved);
  try {
    const trailer = doc.getTrailer();
    if (trailer.get('Info').isNull() && trailer.get('ID').isNull()) return saved;
    trailer.delete('Info');
    trailer.delete('ID');
    return Buffer.from(doc.saveToBuffer('garbage=4,compress').asUint8Array());
  } finally {
    doc.destroy();
  }
}

function cleanDocument(doc: Mupdf.PDFDocument, removed: Set<string>): void {
  const trailer = doc.getTrailer();
  // Several revisions' trailers may name one Info object; dropping the key from the newest
  // leaves the object reachable through an older one, and mupdf writes it out. Empty the
  // object itself first, so whatever still points at it points at nothing.
  const info = trailer.get('Info');
  if (info.isDictionary()) {
    const keys: string[] = [];
    info.forEach((_value, key) => keys.push(String(key)));
    for (const key of keys) info.delete(key);
  }
  dropKey(trailer, 'Info', removed, 'PDF Info dictionary');
  dropKey(trailer, 'ID', removed, 'trailer /ID');
  const root = trailer.get('Root');
  for (const key of CATALOG_KEYS) dropKey(root, key, removed, catalogName(key));
  const names = root.get('Names');
  if (names.isDictionary()) {
    dropKey(names, 'EmbeddedFiles', removed, 'embedded files');
    dropKey(names, 'JavaScript', removed, 'JavaScript');
  }
  const acroForm = root.get('AcroForm');
  if (acroForm.isDictionary()) dropKey(acroForm, 'XFA', removed, 'XFA form (scripts)');
  for (let i = 0; i < doc.countPages(); i += 1) {
    const page = doc.loadPage(i);
    // What a renderer (a viewer, a safe rendition) would rasterise: refused past a sane size.
    const [x0, y0, x1, y1] = page.getBounds();
    if (Math.max(x1 - x0, y1 - y0) > MAX_PDF_PAGE_SIDE)
      throw new LimitExceeded('PDF_PAGE_TOO_LARGE');
    for (const annot of page.getAnnotations()) {
      if (DROP_ANNOTS.has(annot.getType())) {
        page.deleteAnnotation(annot);
        removed.add('attachment and media annotations');
      }
    }
  }
  for (let num = 1; num < doc.countObjects(); num += 1) {
    cleanObject(doc, doc.newIndirect(num), removed); // stream ops need the reference
  }
}

function cleanObject(doc: Mupdf.PDFDocument, obj: PDFObject, removed: Set<string>): void {
  if (!obj.isDictionary() && !obj.isStream()) return;
  for (const key of ANY_OBJECT_KEYS) dropKey(obj, key, removed, catalogName(key));
  if (obj.get('Type').toString() === '/Annot' || obj.get('Rect').isArray()) {
    for (const key of ANNOT_KEYS) dropKey(obj, key, removed, 'annotation authors and dates');
  }
  const action = obj.get('S').toString();
  if (obj.get('JS').isNull() === false) dropKey(obj, 'JS', removed, 'JavaScript');
  if (action === '/Launch') {
    for (const key of ['F', 'Win', 'Mac', 'Unix']) dropKey(obj, key, removed, 'launch actions');
  }
  if (obj.isStream() && obj.get('Subtype').toString() === '/Image') cleanImage(doc, obj, removed);
}

/** Embedded JPEGs keep their own EXIF/XMP/IPTC segments: cut them out, pixels untouched. */
function cleanImage(_doc: Mupdf.PDFDocument, image: PDFObject, removed: Set<string>): void {
  const filter = image.get('Filter');
  const name = filter.isArray() ? filter.get(filter.length - 1).toString() : filter.toString();
  if (name !== '/DCTDecode' || (filter.isArray() && filter.length > 1)) return;
  const raw = Buffer.from(image.readRawStream().asUint8Array());
  const stripped = stripJpegSegments(raw);
  if (stripped === undefined) throw new Error('IMAGE_UNREADABLE');
  if (stripped.length !== raw.length) {
    image.writeRawStream(stripped);
    removed.add('metadata segments of embedded JPEG images (EXIF, XMP, IPTC, comments)');
  }
}

function dropKey(obj: PDFObject, key: string, removed: Set<string>, name: string): void {
  if (obj.get(key).isNull()) return;
  obj.delete(key);
  removed.add(name);
}

function catalogName(key: string): string {
  const names: Record<string, string> = {
    Metadata: 'XMP metadata streams',
    OpenAction: 'open action',
    AA: 'additional actions',
    PieceInfo: 'application private data (PieceInfo)',
    LastModified: 'modification dates',
    AF: 'associated files',
    SpiderInfo: 'web capture data',
    Perms: 'permissions/signature references',
  };
  return names[key] ?? key;
}
