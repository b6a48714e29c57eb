import sharp from 'sharp';
import { LimitExceeded, MAX_IMAGE_PIXELS } from './limits';
import type { SanitiseContext, FileSanitiseReport, SanitiseResult, Sanitiser } from './types';
import { verifyClean } from './verify';

// BMP: headers can carry or link a colour profile and anything can follow the raster. The raster
// is read here (24/32-bit, 1/4/8-bit palette) and written as a PNG; RLE/bit-fields held back.

interface Layout {
  width: number;
  height: number;
  bottomUp: boolean;
  bits: number;
  dataAt: number;
  palette: number[][];
  headerSize: number;
}

function layout(b: Buffer): Layout | null {
  if (b.length < 54 || b.toString('latin1', 0, 2) !== 'BM') return null;
  const headerSize = b.readUInt32LE(14);
  if (headerSize < 40) return null; // OS/2 core headers: not written by anything current
  const width = b.readInt32LE(18);
  const rawHeight = b.readInt32LE(22);
  const bits = b.readUInt16LE(28);
  const compression = b.readUInt32LE(30);
  // 0: BI_RGB. 3 (bit fields) is accepted for 32-bit only when the masks are the usual BGRA.
  const masksOk =
    compression === 3 &&
    bits === 32 &&
    b.readUInt32LE(54) === 0xff0000 &&
    b.readUInt32LE(58) === 0xff00 &&
    b.readUInt32LE(62) === 0xff;
  if (!(compression === 0 || masksOk) || ![1, 4, 8, 24, 32].includes(bits)) return null;
  if (width < 1 || rawHeight === 0) return null;
  const colours = bits <= 8 ? b.readUInt32LE(46) || 1 << bits : 0;
  const paletteAt = 14 + headerSize + (compression === 3 && headerSize === 40 ? 12 : 0);
  const palette: number[][] = [];
  for (let i = 0; i < colours; i++) {
    const at = paletteAt + i * 4;
    if (at + 4 > b.length) return null;
    palette.push([b[at + 2]!, b[at + 1]!, b[at]!]);
  }
  return {
    width,
    height: Math.abs(rawHeight),
    bottomUp: rawHeight > 0,
    bits,
    dataAt: b.readUInt32LE(10),
    palette,
    headerSize,
  };
}

function pixels(b: Buffer, l: Layout): Buffer | null {
  const stride = Math.ceil((l.width * l.bits) / 32) * 4;
  if (l.dataAt + stride * l.height > b.length) return null;
  const out = Buffer.alloc(l.width * l.height * 3);
  for (let y = 0; y < l.height; y++) {
    const row = l.dataAt + (l.bottomUp ? l.height - 1 - y : y) * stride;
    for (let x = 0; x < l.width; x++) {
      let rgb: number[] | undefined;
      if (l.bits >= 24) {
        const at = row + x * (l.bits / 8);
        rgb = [b[at + 2]!, b[at + 1]!, b[at]!];
      } else {
        const bit = x * l.bits;
        const index = (b[row + (bit >> 3)]! >> (8 - l.bits - (bit & 7))) & ((1 << l.bits) - 1);
        rgb = l.palette[index];
        if (rgb === undefined) return null;
      }
      out.set(rgb, (y * l.width + x) * 3);
    }
  }
  return out;
}

export class BmpSanitiser implements Sanitiser {
  readonly formats = ['image/bmp'];

  async sanitise(input: Buffer, ctx: SanitiseContext): Promise<SanitiseResult> {
    const report: FileSanitiseReport = { format: 'bmp', removed: [], kept: [] };
    const l = layout(input);
    if (l === null) return { status: 'unsanitised', reason: 'UNSUPPORTED_FORMAT', report };
    if (l.width * l.height > MAX_IMAGE_PIXELS) throw new LimitExceeded('IMAGE_TOO_MANY_PIXELS');
    const raw = pixels(input, l);
    if (raw === null) return { status: 'unsanitised', reason: 'TOOL_FAILED', report };
    const stride = Math.ceil((l.width * l.bits) / 32) * 4;
    const end = l.dataAt + stride * l.height;
    if (l.headerSize > 40) report.removed.push('extended BMP header (colour space, profile)');
    if (input.length > end) report.removed.push('data after the image');
    const data = await sharp(raw, { raw: { width: l.width, height: l.height, channels: 3 } })
      .png()
      .toBuffer();
    report.kept.push('pixels, converted to PNG (alpha, if any, dropped)');
    const verdict = await verifyClean(data, 'png', ctx);
    if (!verdict.ok) {
      report.notes = [`left after cleaning: ${verdict.leftover.join(', ')}`];
      return { status: 'unsanitised', reason: 'VERIFY_FAILED', report };
    }
    return { status: 'clean', data, mime: 'image/png', extension: 'png', report };
  }
}
