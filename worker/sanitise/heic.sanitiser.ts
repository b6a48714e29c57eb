import { readFile } from 'node:fs/promises';
import { readAllTags, withTmpFile, writeTags } from './exiftool';
import { heifBoxes } from './heif-boxes';
import { blankXmpItems } from './heif-xmp-items';
import type { SanitiseContext, FileSanitiseReport, SanitiseResult, Sanitiser } from './types';
import { describeMetadata, verifyClean } from './verify';

const HEIF_TYPES: Record<string, { mime: string; extension: string }> = {
  HEIC: { mime: 'image/heic', extension: 'heic' },
  HEIF: { mime: 'image/heif', extension: 'heif' },
};

// Zero-filled `free`/`skip` boxes: the ones blankIccProperties() leaves in place of colour
// profiles, and padding boxes (left by editors for in-place edits), which blankPadding() has
// zero-filled whatever they held. Structure, not metadata.
const BLANKED = [/^QuickTime:(Unknown_free|Free|Skip)$/];

/**
 * HEIC/HEIF (iPhone photos). sharp's libheif has no HEVC decoder here, so the pixels cannot be
 * re-encoded; exiftool `-all=` rewrites the container instead, dropping the EXIF and XMP items,
 * and the result is re-read by verifyClean. The HEVC data is copied bit for bit. exiftool 13
 * will not delete a HEIF colour profile, so blankIccProfiles() does it. The profile is dropped
 * without conversion (nothing here can decode HEVC to convert it): wide-gamut (Display P3)
 * colours then show slightly less saturated, which we accept rather than keep a profile whose
 * text and dates can fingerprint a device or workflow.
 */
export class HeicSanitiser implements Sanitiser {
  readonly formats = ['image/heic', 'image/heif'];

  async sanitise(input: Buffer, ctx: SanitiseContext): Promise<SanitiseResult> {
    const report: FileSanitiseReport = { format: 'heic', removed: [], kept: [] };
    try {
      return await withTmpFile(ctx, input, 'heic', async (path) => {
        const tags = await readAllTags(path);
        const type = HEIF_TYPES[String(tags['File:FileType'])];
        if (type === undefined)
          return { status: 'unsanitised', reason: 'UNSUPPORTED_FORMAT', report };
        report.format = type.extension;
        report.removed = describeMetadata(tags);
        // exiftool 13's `-all=` leaves the colour profile; it must be named.
        await writeTags(path, ['-all=', '-ICC_Profile:all=', '-overwrite_original']);
        // What exiftool leaves: an HDR gain map's own XMP item (heif-xmp-items.ts).
        const xmp = blankXmpItems(await readFile(path));
        if (xmp.blanked > 0)
          report.removed.push('XMP of auxiliary images (HDR gain map); the gain map’s pixels kept');
        const data = blankPadding(blankIccProperties(xmp.data));
        report.kept.push('HEVC image data unchanged (not re-encoded), rotation/mirroring boxes');
        if (report.removed.includes('ICC profile')) {
          report.kept.push('colour profile dropped without conversion (colours read as sRGB)');
        }
        const verdict = await verifyClean(data, type.extension, ctx, BLANKED);
        if (!verdict.ok) {
          report.notes = [`left after cleaning: ${verdict.leftover.join(', ')}`];
          return { status: 'unsanitised', reason: 'VERIFY_FAILED', report };
        }
        return { status: 'clean', data, mime: type.mime, extension: type.extension, report };
      });
    } catch {
      return { status: 'unsanitised', reason: 'TOOL_FAILED', report };
    }
  }
}

/**
 * Turns every ICC `colr` property (meta/iprp/ipco) into a zero-filled `free` box of the same
 * size: no offset moves, decoders skip it, and the profile's bytes are gone. `nclx` colour
 * properties (plain numbers: primaries, transfer, matrix) stay.
 */
export function blankIccProperties(heif: Buffer): Buffer {
  const out = Buffer.from(heif);
  for (const meta of heifBoxes(out, 0, out.length)) {
    if (meta.type !== 'meta') continue;
    for (const iprp of heifBoxes(out, meta.start + 12, meta.end)) {
      if (iprp.type !== 'iprp') continue;
      for (const ipco of heifBoxes(out, iprp.start + 8, iprp.end)) {
        if (ipco.type !== 'ipco') continue;
        for (const prop of heifBoxes(out, ipco.start + 8, ipco.end)) {
          const colour = out.toString('latin1', prop.start + 8, prop.start + 12);
          if (prop.type !== 'colr' || (colour !== 'prof' && colour !== 'rICC')) continue;
          out.write('free', prop.start + 4, 'latin1');
          out.fill(0, prop.start + 8, prop.end);
        }
      }
    }
  }
  return out;
}

const PADDING = new Set(['free', 'skip']);
const CONTAINERS = new Set(['meta', 'iprp', 'ipco', 'dinf']);

/**
 * Zero-fills the body of every `free`/`skip` box at the top level and inside the item containers
 * (sizes kept, so no offset moves). Padding is meant to be empty; whatever an editor or a hostile
 * file left in it is gone.
 */
export function blankPadding(heif: Buffer): Buffer {
  const out = Buffer.from(heif);
  const walk = (from: number, to: number): void => {
    for (const box of heifBoxes(out, from, to)) {
      if (PADDING.has(box.type)) out.fill(0, box.start + 8, box.end);
      else if (CONTAINERS.has(box.type)) walk(box.start + (box.type === 'meta' ? 12 : 8), box.end);
    }
  };
  walk(0, out.length);
  return out;
}
