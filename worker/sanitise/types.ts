// Shared contract for every sanitiser (image/HEIC/PDF here; office/audio/video/text and the
// dispatcher are built against it in parallel). Fields may be added later, never changed: any
// addition is announced in a comment here for the other sanitisers' authors.

import type { FileSanitiseReport } from '../../core/record/file-sanitise-report';

export type { FileSanitiseReport };

export type SanitiseResult =
  | { status: 'clean'; data: Buffer; mime: string; extension: string; report: FileSanitiseReport }
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
