import { z } from 'zod';
import { MAX_RENDITION_PAGES, RENDITION_DPI } from '../sanitise/limits';
import type { FileOcr, FileRendition, FileSanitiseReport } from '../sanitise/types';
import { claimHolds } from './jail-answer';
import type { Jail } from './jail';

// The worker's side of a clean file's readings (jail-readings.child.ts): believed only within
// bounds, and the rendition only if it is a PDF by its bytes and within the output limit.

/**
 * The rendition step's own deadline, armed when the jail says it starts: drawing and OCR take
 * far longer than cleaning (about 2 s a page, goal), so the file's deadline would cut a long
 * document short; the step gets room for MAX_RENDITION_PAGES pages at a slow 6 s each.
 */
export const RENDITION_DEADLINE_MS = MAX_RENDITION_PAGES * 6_000 + 60_000;
/** OCR text believed: 30 dense pages. */
export const MAX_OCR_CHARS = 200_000;

const readingSchema = z
  .object({
    op: z.literal('reading'),
    notes: z.array(z.string().max(300)).max(10),
    ocr: z
      .object({
        text: z.string().max(MAX_OCR_CHARS),
        confidence: z.number().min(0).max(1),
        source: z.enum(['photo', 'rendition']),
      })
      .strict()
      .optional(),
    rendition: z
      .object({
        size: z.number().int().positive(),
        pages: z.number().int().min(1).max(MAX_RENDITION_PAGES),
        dpi: z.number().int().min(1).max(RENDITION_DPI),
        truncated: z.boolean(),
      })
      .strict()
      .optional(),
  })
  .strict();

export interface Readings {
  rendition?: FileRendition;
  ocr?: FileOcr;
}

/** After `rendering`: the reading, the rendition's bytes (through `receive`), and `done`. */
export async function receiveReadings(
  jail: Jail,
  maxOutputBytes: number,
  report: FileSanitiseReport,
  receive: (size: number) => Promise<Buffer>,
): Promise<Readings> {
  jail.arm(RENDITION_DEADLINE_MS);
  const parsed = readingSchema.safeParse(await jail.control());
  if (!parsed.success) throw jail.broken();
  const { notes, ocr, rendition } = parsed.data;
  report.notes = [...(report.notes ?? []), ...notes];
  if (!rendition) {
    const end = await jail.control();
    if (end.op !== 'done') throw jail.broken();
    return ocr ? { ocr } : {};
  }
  if (rendition.size > maxOutputBytes) throw jail.broken();
  const data = await receive(rendition.size);
  if (!claimHolds('application/pdf', 'pdf', data, true)) {
    data.fill(0);
    throw jail.broken();
  }
  const { pages, dpi, truncated } = rendition;
  return { rendition: { data, pages, dpi, truncated }, ...(ocr ? { ocr } : {}) };
}
