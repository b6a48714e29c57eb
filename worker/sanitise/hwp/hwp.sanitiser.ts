import sharp from 'sharp';
import { detectFormat, FORMAT_MIME } from '../detect-format';
import { LimitExceeded } from '../limits';
import type { SanitiseContext, FileSanitiseReport, SanitiseResult, Sanitiser } from '../types';
import { HwpUnreadable, readHwp5, type HwpContent } from './hwp5';
import { readHwpx } from './hwpx';
import { writeOdt, type Picture } from './odt-writer';

/** The ODF cleaner, through which the rebuilt document passes like any ODT a source sends. */
export type OdtCleaner = (odt: Buffer, ctx: SanitiseContext) => Promise<SanitiseResult>;

const PICTURES: Record<string, Picture['ext']> = { jpeg: 'jpg', png: 'png', gif: 'gif' };

/**
 * HWP 5.0 and HWPX: rebuilt as an ODT from the body text and the pictures, nothing else read
 * (hwp5.ts, hwpx.ts). Layout, tables' structure, fonts, equations and drawings are not kept;
 * the report says so. A password-protected or distribution document is held back.
 */
export class HwpSanitiser implements Sanitiser {
  readonly formats = [FORMAT_MIME.hwp, FORMAT_MIME.hwpx];

  constructor(private readonly cleanOdt: OdtCleaner) {}

  async sanitise(input: Buffer, ctx: SanitiseContext): Promise<SanitiseResult> {
    const format = detectFormat(input);
    const report: FileSanitiseReport = { format: format ?? 'hwp', removed: [], kept: [] };
    let content: HwpContent;
    try {
      content = format === 'hwpx' ? readHwpx(input) : readHwp5(input);
    } catch (err) {
      if (err instanceof LimitExceeded) return { status: 'unsanitised', reason: err.code, report };
      const reason =
        err instanceof HwpUnreadable && err.why !== 'NOT_HWP' ? err.why : 'TOOL_FAILED';
      return { status: 'unsanitised', reason, report };
    }
    const pictures: Picture[] = [];
    let skipped = 0;
    for (const bin of content.binData) {
      const kind = detectFormat(bin.data);
      const ext = kind === null ? undefined : PICTURES[kind];
      const meta = ext
        ? await sharp(bin.data)
            .metadata()
            .catch(() => undefined)
        : undefined;
      if (!ext || !kind || !meta?.width || !meta.height) {
        skipped++;
        continue;
      }
      pictures.push({
        data: bin.data,
        ext,
        mime: FORMAT_MIME[kind],
        width: meta.width,
        height: meta.height,
      });
    }
    // The pictures are cleaned by the ODF cleaner's own pass over Pictures/.
    const result = await this.cleanOdt(writeOdt(content.paragraphs, pictures), ctx);
    report.removed = [...content.dropped];
    report.kept = [
      `body text (${content.paragraphs.length} paragraphs)` +
        (pictures.length > 0 ? ` and embedded pictures, each cleaned (${pictures.length})` : ''),
      'rebuilt as an ODT: layout, fonts, tables, equations and drawings not kept',
    ];
    if (skipped > 0)
      report.notes = [`embedded objects not carried (not a picture we can clean): ${skipped}`];
    if (result.status !== 'clean') {
      report.notes = [...(report.notes ?? []), ...(result.report.notes ?? [])];
      return { status: 'unsanitised', reason: result.reason, report };
    }
    return { ...result, report };
  }
}
