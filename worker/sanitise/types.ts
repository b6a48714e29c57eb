// Shared contract for every sanitiser (image/HEIC/PDF here; office/audio/video/text and the
// dispatcher are built against it in parallel). Fields may be added later, never changed: any
// addition is announced in a comment here for the other sanitisers' authors.

import type { FileSanitiseReport } from '../../core/record/file-sanitise-report';

export type { FileSanitiseReport };

export type SanitiseResult =
  | {
      status: 'clean';
      data: Buffer;
      mime: string;
      extension: string;
      report: FileSanitiseReport;
      /** A document's safe rendition, made in the jail (rendition/). */
      rendition?: FileRendition;
      /** Text read by OCR from a photo of paper or a rendition. */
      ocr?: FileOcr;
    }
  | {
      status: 'unsanitised';
      /** A code like 'UNSUPPORTED_FORMAT' | 'TOOL_FAILED' | 'VERIFY_FAILED'. */
      reason: string;
      report: FileSanitiseReport;
    };

export interface Sanitiser {
  readonly formats: readonly string[];
  sanitise(input: Buffer, ctx: SanitiseContext): Promise<SanitiseResult>;
}

export interface SanitiseContext {
  /** A private 0700 dir on tmpfs (/dev/shm) for tools that need files; delete what you write. */
  tmpDir: string;
}

/** A new PDF drawn from a document's pixels with an OCR text layer (rendition/make-rendition.ts). */
export interface FileRendition {
  data: Buffer;
  pages: number;
  dpi: number;
  truncated: boolean;
}

export interface FileOcr {
  text: string;
  /** Mean word confidence, 0–1 (photos; 0 for a rendition's text layer). */
  confidence: number;
  source: 'photo' | 'rendition';
}
