import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_RENDITION_PAGES } from '../limits';
import { tidyText } from '../ocr/real-text';
import { runTesseract } from '../ocr/tesseract';
import type { SanitiseContext } from '../types';
import { renderPages } from './render-pages';
import { renditionLeftovers, stripRenditionPdf } from './rendition-pdf';

// A document's safe rendition: its pages drawn to pixels, then a new PDF of those pixels alone
// under tesseract's OCR text layer. Nothing of the original's structure is copied, and the PDF
// is checked object by object (rendition-pdf.ts) before it is given. ../FORMATS.md: the rules.

/**
 * tesseract processes OCR'ing one document's pages at once: a page takes about 2.5 s of one
 * core with three languages loaded, so the pages are split in two runs, one per core of the
 * 2-core machine the goal (≤ 2 s a page) is set for. More threads per process (OpenMP) were
 * far slower on a shared machine: one thread each.
 */
export const OCR_RUNS = 2;

export interface Rendition {
  data: Buffer;
  pages: number;
  dpi: number;
  /** Only the first `pages` of a longer document were rendered. */
  truncated: boolean;
  /** The OCR text layer's text, for search. */
  text: string;
}

export class RenditionRefused extends Error {
  constructor(readonly leftovers: string[]) {
    super('RENDITION_NOT_CLEAN');
  }
}

/** A document (mupdf opens it as `mime`) to its rendition. */
export async function makeRendition(
  data: Buffer,
  mime: string,
  ctx: SanitiseContext,
): Promise<Rendition> {
  const dir = await mkdtemp(join(ctx.tmpDir, 'rendition-'));
  try {
    const rendered = await renderPages(data, mime, dir);
    if (rendered.paths.length === 0) throw new Error('NO_PAGES');
    return await fromPageImages(rendered.paths, rendered.dpi, rendered.total, ctx);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Page images already on the scratch dir (rendered, or a rasterised SVG) to the rendition. */
export async function fromPageImages(
  paths: readonly string[],
  dpi: number,
  total: number,
  ctx: SanitiseContext,
): Promise<Rendition> {
  // The pages in OCR_RUNS contiguous runs at once, one tesseract (one thread) each.
  const per = Math.ceil(paths.length / OCR_RUNS);
  const runs = Array.from({ length: Math.ceil(paths.length / per) }, (_, i) =>
    paths.slice(i * per, (i + 1) * per),
  );
  const outs = await Promise.all(
    runs.map((run) => runTesseract(run, ctx, { pdf: true, dpi, psm: 3 })),
  );
  const data = await stripRenditionPdf(outs.map((o) => o.pdf!));
  const leftovers = await renditionLeftovers(data);
  if (leftovers.length > 0) throw new RenditionRefused(leftovers);
  return {
    data,
    pages: paths.length,
    dpi,
    truncated: total > Math.min(total, MAX_RENDITION_PAGES),
    text: tidyText(outs.map((o) => o.text).join('\f')),
  };
}
