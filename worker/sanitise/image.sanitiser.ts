import sharp, { type Metadata, type Sharp } from 'sharp';
import { readAllTags, withTmpFile } from './exiftool';
import type { SanitiseContext, FileSanitiseReport, SanitiseResult, Sanitiser } from './types';
import { describeMetadata, verifyClean } from './verify';
import { MAX_IMAGE_PIXELS } from './limits';

interface Target {
  mime: string;
  extension: string;
  encode(pipeline: Sharp): Sharp;
}

// Re-encode to the input's own format. Lossy formats at high quality: a second generation of
// compression is the price of copying nothing but pixels. TIFF is written lossless (LZW).
const TARGETS: Record<string, Target> = {
  jpeg: { mime: 'image/jpeg', extension: 'jpg', encode: (p) => p.jpeg({ quality: 92 }) },
  png: { mime: 'image/png', extension: 'png', encode: (p) => p.png({ compressionLevel: 6 }) },
  webp: { mime: 'image/webp', extension: 'webp', encode: (p) => p.webp({ quality: 92 }) },
  tiff: { mime: 'image/tiff', extension: 'tif', encode: (p) => p.tiff({ compression: 'lzw' }) },
  avif: { mime: 'image/avif', extension: 'avif', encode: (p) => p.avif({ quality: 80 }) },
  gif: { mime: 'image/gif', extension: 'gif', encode: (p) => p.gif() },
};

/** sharp reports AVIF as 'heif' with AV1 compression; HEVC-coded HEIF goes to the HEIC sanitiser. */
function targetKey(meta: Metadata): string | undefined {
  if (meta.format === 'heif') return meta.compression === 'av1' ? 'avif' : undefined;
  return meta.format !== undefined && meta.format in TARGETS ? meta.format : undefined;
}

export class ImageSanitiser implements Sanitiser {
  readonly formats = [
    'image/jpeg',
    'image/png',
    'image/webp',
    'image/tiff',
    'image/avif',
    'image/gif',
  ];

  async sanitise(input: Buffer, ctx: SanitiseContext): Promise<SanitiseResult> {
    const report: FileSanitiseReport = { format: 'image', removed: [], kept: [] };
    let meta: Metadata;
    try {
      // The header only (no pixel is decoded here): the pixel limit is checked below.
      meta = await sharp(input, { limitInputPixels: false }).metadata();
    } catch {
      return { status: 'unsanitised', reason: 'UNSUPPORTED_FORMAT', report };
    }
    const key = targetKey(meta);
    const target = key === undefined ? undefined : TARGETS[key];
    if (key === undefined || target === undefined) {
      return { status: 'unsanitised', reason: 'UNSUPPORTED_FORMAT', report };
    }
    report.format = key;
    // From the header, before a pixel is decoded: a few KB can declare gigapixels.
    const pixels = (meta.width ?? 0) * (meta.pageHeight ?? meta.height ?? 0) * (meta.pages ?? 1);
    if (pixels > MAX_IMAGE_PIXELS) {
      return { status: 'unsanitised', reason: 'IMAGE_TOO_MANY_PIXELS', report };
    }
    try {
      const tags = await withTmpFile(ctx, input, target.extension, readAllTags);
      report.removed = describeMetadata(tags);
      let data: Buffer;
      try {
        data = await target.encode(buildPipeline(input, meta, report)).toBuffer();
      } catch (err) {
        // A JPEG cut short in transfer: libjpeg stops at "premature end of data segment" and
        // sharp (failOn 'warning') refuses it. Decode what is there (the missing rows come out
        // grey) rather than hold back most of a photo; said in the report.
        if (key !== 'jpeg' || !isTruncatedJpeg(input)) throw err;
        report.kept = [];
        const pipeline = buildPipeline(input, meta, report, 'none');
        data = await target.encode(pipeline).toBuffer();
        report.notes = ['truncated JPEG: decoded as far as the data goes, the rest filled grey'];
      }
      const verdict = await verifyClean(data, target.extension, ctx);
      if (!verdict.ok) {
        report.notes = [`left after cleaning: ${verdict.leftover.join(', ')}`];
        return { status: 'unsanitised', reason: 'VERIFY_FAILED', report };
      }
      return { status: 'clean', data, mime: target.mime, extension: target.extension, report };
    } catch {
      return { status: 'unsanitised', reason: 'TOOL_FAILED', report };
    }
  }
}

/** A JPEG whose stream ends without its end-of-image marker (trailing zero padding aside). */
function isTruncatedJpeg(jpeg: Buffer): boolean {
  let end = jpeg.length;
  while (end > 2 && jpeg[end - 1] === 0) end--;
  return !(jpeg[end - 2] === 0xff && jpeg[end - 1] === 0xd9);
}

function buildPipeline(
  input: Buffer,
  meta: Metadata,
  report: FileSanitiseReport,
  failOn: 'warning' | 'none' = 'warning',
): Sharp {
  const pages = meta.pages ?? 1;
  // All frames of an animated GIF/WebP and all pages of a TIFF: a dropped page is lost testimony.
  // limitInputPixels (per frame) is libvips' own check, behind the one above.
  let pipeline = sharp(input, { animated: pages > 1, limitInputPixels: MAX_IMAGE_PIXELS, failOn });
  report.kept.push(`pixels re-encoded as ${report.format.toUpperCase()}, nothing copied over`);
  if (pages > 1) report.kept.push(`${pages} frames/pages`);
  if (meta.orientation !== undefined && meta.orientation > 1) {
    report.kept.push('orientation applied to the pixels');
  }
  pipeline = pipeline.rotate();
  // Colour profiles: converted to sRGB and dropped. An embedded profile is a fingerprint (its
  // description, vendor, creation date and calibration identify a device or workflow), while
  // sRGB is what every viewer assumes for an untagged image, so colours stay right.
  if (meta.icc !== undefined || meta.space === 'cmyk') {
    pipeline = pipeline.toColourspace(meta.depth === 'ushort' ? 'rgb16' : 'srgb');
    report.kept.push('colours converted to sRGB; ICC profile dropped');
  }
  return pipeline;
}

// JPEG markers whose segments carry no pixels: APP0 (JFIF, can hold a thumbnail), APP1 (EXIF,
// XMP), APP2 (ICC, FlashPix), APP3–APP13 (maker data, IPTC/Photoshop), APP15, COM. APP14
// (Adobe) stays: it tells the decoder how to transform colours.
const STRIP_JPEG = (marker: number): boolean =>
  (marker >= 0xe0 && marker <= 0xef && marker !== 0xee) || marker === 0xfe;

/** Drops metadata segments from a JPEG byte stream without re-encoding (pixels bit-identical),
 * and anything after the end-of-image marker. Returns undefined if the stream is not a JPEG. */
export function stripJpegSegments(jpeg: Buffer): Buffer | undefined {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return undefined;
  const parts: Buffer[] = [jpeg.subarray(0, 2)];
  let at = 2;
  while (at + 2 <= jpeg.length) {
    if (jpeg[at] !== 0xff) return undefined;
    const marker = jpeg[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd9) {
      parts.push(jpeg.subarray(at, at + 2));
      return Buffer.concat(parts); // bytes after EOI (appended files, trailers) are dropped
    }
    if (at + 4 > jpeg.length) return undefined;
    let end = at + 2 + jpeg.readUInt16BE(at + 2);
    if (marker === 0xda) end = scanEnd(jpeg, end); // entropy-coded data runs to the next marker
    if (end > jpeg.length) return undefined;
    if (!STRIP_JPEG(marker)) parts.push(jpeg.subarray(at, end));
    at = end;
  }
  return undefined;
}

/** In entropy-coded data a real marker is FF followed by neither 00 (stuffing) nor RSTn. */
function scanEnd(jpeg: Buffer, from: number): number {
  for (let i = from; i + 1 < jpeg.length; i += 1) {
    const next = jpeg[i + 1] ?? 0;
    if (jpeg[i] === 0xff && next !== 0 && !(next >= 0xd0 && next <= 0xd7) && next !== 0xff)
      return i;
  }
  return jpeg.length + 1;
}
