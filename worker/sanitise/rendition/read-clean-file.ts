import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FORMAT_MIME, detectFormat, type Format } from '../detect-format';
import { RENDITION_DPI } from '../limits';
import { readPhoto } from '../ocr/photo-ocr';
import type { FileOcr, FileRendition, SanitiseContext, SanitiseResult } from '../types';
import { fromPageImages, makeRendition, RenditionRefused, type Rendition } from './make-rendition';
import { odfToHtml } from './odf-html';

// What the jail reads from a file once it is clean, for reviewers who should not have to open
// it: a document's safe rendition (with its OCR text), or the text of a photo of paper. It is
// extra: if it cannot be made the clean copy still goes, and the report says why there is none.

type Clean = Extract<SanitiseResult, { status: 'clean' }>;

export interface Readings {
  rendition?: FileRendition;
  ocr?: FileOcr;
  notes: string[];
}

const MUPDF_OPENS = new Set<Format>(['pdf', 'docx', 'xlsx', 'pptx', 'epub']);
const REBUILT_AS_ODF = new Set<Format>(['odt', 'ods', 'odp', 'odg', 'odf', 'hwp', 'hwpx']);
const PHOTOS = new Set<Format>([
  'jpeg',
  'png',
  'gif',
  'webp',
  'tiff',
  'avif',
  'heic',
  'bmp',
  'netpbm',
]);

/** Which reading a format gets: a rendition, OCR of a photo, or none (audio, video, text). */
export function readingFor(format: Format | null): 'rendition' | 'photo' | null {
  if (format === null) return null;
  if (
    MUPDF_OPENS.has(format) ||
    REBUILT_AS_ODF.has(format) ||
    format === 'html' ||
    format === 'svg'
  )
    return 'rendition';
  return PHOTOS.has(format) ? 'photo' : null;
}

export async function readCleanFile(
  input: Buffer,
  clean: Clean,
  ctx: SanitiseContext,
): Promise<Readings> {
  const format = detectFormat(input);
  const kind = readingFor(format);
  if (kind === 'photo') {
    const read = await readPhoto(clean.data, ctx).catch(
      () => ({ kind: 'none', note: 'OCR failed on this image' }) as const,
    );
    if (read.kind === 'none') return { notes: [read.note] };
    return {
      ocr: { text: read.text, confidence: read.confidence, source: 'photo' },
      notes: ['text read from the image by OCR'],
    };
  }
  if (kind === null || format === null) return { notes: [] };
  try {
    const made = await render(format, input, clean, ctx);
    const { data, pages, dpi, truncated, text } = made;
    const notes = [
      `safe rendition: ${pages} page${pages === 1 ? '' : 's'} redrawn from pixels at ${dpi} DPI with an OCR text layer`,
    ];
    if (truncated) notes.push(`safe rendition covers only the first ${pages} pages (page limit)`);
    if (REBUILT_AS_ODF.has(format))
      notes.push('safe rendition drawn from the cleaned text and pictures (layout not kept)');
    return {
      rendition: { data, pages, dpi, truncated },
      ...(text === '' ? {} : { ocr: { text, confidence: 0, source: 'rendition' as const } }),
      notes,
    };
  } catch (err) {
    const why =
      err instanceof RenditionRefused
        ? `its PDF held ${err.leftovers.join(', ')}`
        : 'it could not be drawn';
    return { notes: [`no safe rendition: ${why}`] };
  }
}

async function render(
  format: Format,
  input: Buffer,
  clean: Clean,
  ctx: SanitiseContext,
): Promise<Rendition> {
  // The cleaned copy is drawn where it is the same document; an HTML page's clean copy is its
  // text alone, so the page itself is drawn (mupdf runs no script and has no network here).
  if (MUPDF_OPENS.has(format)) return makeRendition(clean.data, FORMAT_MIME[format], ctx);
  if (format === 'html') return makeRendition(input, 'text/html', ctx);
  if (REBUILT_AS_ODF.has(format)) return makeRendition(odfToHtml(clean.data), 'text/html', ctx);
  // SVG: its clean copy is already its pixels (a PNG).
  const path = join(ctx.tmpDir, `svg-page-${process.pid}.png`);
  try {
    await writeFile(path, clean.data, { mode: 0o600 });
    return await fromPageImages([path], RENDITION_DPI, 1, ctx);
  } finally {
    await rm(path, { force: true });
  }
}
