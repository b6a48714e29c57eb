import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createSemaphore } from '../../../core/semaphore';
import { MAX_RENDITION_PAGES } from '../limits';
import { tidyText } from '../ocr/real-text';
import { runTesseract, type OcrOutput } from '../ocr/tesseract';
import type { SanitiseContext } from '../types';
import { renderPages } from './render-pages';
import { renditionLeftovers, stripRenditionPdf } from './rendition-pdf';

// A document's safe rendition: its pages drawn to pixels, then a new PDF of those pixels alone
// under tesseract's OCR text layer. Nothing of the original's structure is copied, and the PDF
// is checked object by object (rendition-pdf.ts) before it is given. ../FORMATS.md: the rules.

/**
 * tesseract processes at once, each OCR'ing one page: a page takes 2.5–3.7 s of one core with
 * three languages loaded, and the goal (≤ 2 s a page) is set for 2 cores. One page per process
 * (loading the three languages costs about 0.1 s) keeps both cores busy to the last page: two
 * fixed runs of contiguous pages left one core idle while the other finished its longer share
 * (4 pages against 3 of a 7-page document), and the first page's OCR waited for the last
 * page's drawing. More threads per process (OpenMP) were far slower on a shared machine.
 */
export const OCR_AT_ONCE = 2;

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
  const ocr = new PageOcr(ctx);
  try {
    const rendered = await renderPages(data, mime, dir, (path, dpi) => ocr.add(path, dpi));
    if (rendered.paths.length === 0) throw new Error('NO_PAGES');
    return await assemble(await ocr.results(), rendered.dpi, rendered.total);
  } finally {
    await ocr.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Page images already on the scratch dir (a rasterised SVG, a photo) to the rendition. */
export async function fromPageImages(
  paths: readonly string[],
  dpi: number,
  total: number,
  ctx: SanitiseContext,
): Promise<Rendition> {
  const ocr = new PageOcr(ctx);
  try {
    for (const path of paths) ocr.add(path, dpi);
    return await assemble(await ocr.results(), dpi, total);
  } finally {
    await ocr.stop();
  }
}

/** tesseract's page PDFs, in page order, as one checked rendition. */
async function assemble(pages: OcrOutput[], dpi: number, total: number): Promise<Rendition> {
  const data = await stripRenditionPdf(pages.map((o) => o.pdf!));
  const leftovers = await renditionLeftovers(data);
  if (leftovers.length > 0) throw new RenditionRefused(leftovers);
  return {
    data,
    pages: pages.length,
    dpi,
    truncated: total > Math.min(total, MAX_RENDITION_PAGES),
    text: tidyText(pages.map((o) => o.text).join('\f')),
  };
}

/**
 * Pages OCR'd in the order they are added, OCR_AT_ONCE at a time; their outputs come back in
 * that order. After a failure no further page starts.
 */
class PageOcr {
  private readonly outputs: Promise<OcrOutput>[] = [];
  private readonly slots = createSemaphore(OCR_AT_ONCE); // waiting pages start in arrival order
  private failed = false;

  constructor(private readonly ctx: SanitiseContext) {}

  add(path: string, dpi: number): void {
    const output = this.slots.run(async () => {
      if (this.failed) throw new Error('OCR_STOPPED');
      try {
        return await runTesseract([path], this.ctx, { pdf: true, dpi, psm: 3 });
      } catch (err) {
        this.failed = true;
        throw err;
      }
    });
    output.catch(() => undefined); // awaited by results(), or only settled by stop()
    this.outputs.push(output);
  }

  results(): Promise<OcrOutput[]> {
    return Promise.all(this.outputs);
  }

  /** Waits for every started tesseract, so none writes into a scratch dir being removed. */
  async stop(): Promise<void> {
    this.failed = true;
    await Promise.allSettled(this.outputs);
  }
}
