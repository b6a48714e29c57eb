import { detectFormat, FORMAT_MIME, type Format } from '../detect-format';
import type { SanitiseContext, FileSanitiseReport, SanitiseResult, Sanitiser } from '../types';
import { verifyClean } from '../verify';
import { withFfmpeg } from './ffmpeg-remux';
import { CONTAINERS, nativeRemux } from './formats';
import { KEPT, XING_KEPT } from './kept';
import { STRUCTURAL } from './structural-tags';
import { videoFinding } from './video-finding';

// Audio and video remuxed, never re-encoded: natively for MP3 and the MP4 family, by ffmpeg for
// the rest and for what the native remuxers refuse; every output verified. See MEDIA.md.

export class MediaSanitiser implements Sanitiser {
  readonly formats = (Object.keys(CONTAINERS) as Format[]).map((f) => FORMAT_MIME[f]);

  async sanitise(input: Buffer, ctx: SanitiseContext): Promise<SanitiseResult> {
    const format = detectFormat(input);
    const container = format === null ? undefined : CONTAINERS[format];
    const report: FileSanitiseReport = { format: container?.ext ?? 'media', removed: [], kept: [] };
    if (format === null || !container) {
      return { status: 'unsanitised', reason: 'UNSUPPORTED_FORMAT', report };
    }
    // MP3, the MP4 family, FLAC and AIFF are cleaned in process (no ffmpeg start-up, no
    // probes); what the native path refuses, and every other container, goes through ffmpeg.
    // Either way the output is verified by exiftool before it counts as clean.
    const native = nativeRemux(format, input);
    const notes: string[] = [];
    if (native?.ok) {
      const found = videoFinding(native.data, container, null);
      const verdict = found
        ? { ok: false as const, leftover: [found] }
        : await verifyClean(native.data, container.ext, ctx, STRUCTURAL);
      if (verdict.ok) {
        const kept = [KEPT, ...(format === 'mp3' ? [XING_KEPT] : [])];
        const clean: FileSanitiseReport = { ...report, removed: native.removed, kept };
        return {
          status: 'clean',
          data: native.data,
          mime: container.mime,
          extension: container.ext,
          report: clean,
        };
      }
      notes.push(`native remux left ${verdict.leftover.join(', ')}; remuxed with ffmpeg instead`);
    } else if (native) {
      notes.push(`native remux declined (${native.why}); remuxed with ffmpeg instead`);
    }
    const result = await withFfmpeg(input, container, ctx, report);
    if (notes.length > 0) result.report.notes = [...notes, ...(result.report.notes ?? [])];
    return result;
  }
}
