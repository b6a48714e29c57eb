import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_RENDITION_PAGE_PIXELS, MAX_RENDITION_PAGES, RENDITION_DPI } from '../limits';
import { loadMupdf } from '../pdf.sanitiser';

// A document's pages drawn to pixels by mupdf in the jail, each a PNG in the scratch dir: at
// most MAX_RENDITION_PAGES, at RENDITION_DPI or less (a page past MAX_RENDITION_PAGE_PIXELS is
// drawn at the resolution that fits). Nothing but the pixels goes on.

export interface RenderedPages {
  /** PNG files, one per rendered page, in order. */
  paths: string[];
  /** Pages the document has. */
  total: number;
  /** The lowest resolution any page was drawn at. */
  dpi: number;
}

/**
 * `mime` is what mupdf opens the bytes as (its document handler). `onPage` hears of each page
 * once its PNG is written, with the resolution it was drawn at, so its OCR can start while the
 * next page is drawn.
 */
export async function renderPages(
  data: Buffer,
  mime: string,
  dir: string,
  onPage: (path: string, dpi: number) => void = () => undefined,
): Promise<RenderedPages> {
  const m = await loadMupdf();
  const doc = m.Document.openDocument(data, mime);
  try {
    if (doc.needsPassword()) throw new Error('ENCRYPTED');
    const total = doc.countPages();
    const paths: string[] = [];
    let dpi = RENDITION_DPI;
    for (let i = 0; i < Math.min(total, MAX_RENDITION_PAGES); i += 1) {
      const page = doc.loadPage(i);
      try {
        const [x0, y0, x1, y1] = page.getBounds();
        const inches = (Math.max(1, x1 - x0) / 72) * (Math.max(1, y1 - y0) / 72);
        const pageDpi = Math.min(
          RENDITION_DPI,
          Math.floor(Math.sqrt(MAX_RENDITION_PAGE_PIXELS / inches)),
        );
        dpi = Math.min(dpi, pageDpi);
        const pix = page.toPixmap(
          m.Matrix.scale(pageDpi / 72, pageDpi / 72),
          m.ColorSpace.DeviceRGB,
          false,
          true,
        );
        try {
          const path = join(dir, `page-${String(i).padStart(4, '0')}.png`);
          await writeFile(path, pix.asPNG(), { mode: 0o600 });
          paths.push(path);
          onPage(path, pageDpi);
        } finally {
          pix.destroy();
        }
      } finally {
        page.destroy();
      }
    }
    return { paths, total, dpi };
  } finally {
    doc.destroy();
  }
}
