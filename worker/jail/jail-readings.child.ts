import { detectFormat } from '../sanitise/detect-format';
import { readCleanFile, readingFor } from '../sanitise/rendition/read-clean-file';
import type { SanitiseContext, SanitiseResult } from '../sanitise/types';
import type { Writable } from 'node:stream';
import { sendBytes, sendControl } from './frames';

// In the jail, after a clean file's bytes went out: its readings (a document's safe rendition,
// a photo's OCR text; worker/sanitise/rendition). `rendering` first, so the worker gives the
// step its own deadline; then `reading` with what was made, and the rendition's bytes.

type Clean = Extract<SanitiseResult, { status: 'clean' }>;

export async function sendReadings(
  out: Writable,
  input: Buffer,
  clean: Clean,
  ctx: SanitiseContext,
): Promise<void> {
  if (readingFor(detectFormat(input)) === null) return;
  await sendControl(out, { op: 'rendering' });
  const { rendition, ocr, notes } = await readCleanFile(input, clean, ctx);
  await sendControl(out, {
    op: 'reading',
    notes,
    ...(ocr ? { ocr } : {}),
    ...(rendition
      ? {
          rendition: {
            size: rendition.data.length,
            pages: rendition.pages,
            dpi: rendition.dpi,
            truncated: rendition.truncated,
          },
        }
      : {}),
  });
  if (rendition) await sendBytes(out, rendition.data);
}
