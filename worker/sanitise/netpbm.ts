import sharp from 'sharp';
import { LimitExceeded, MAX_IMAGE_PIXELS } from './limits';
import type { SanitiseContext, FileSanitiseReport, SanitiseResult, Sanitiser } from './types';
import { verifyClean } from './verify';

// netpbm (P1–P6): the only metadata is `#` comment lines in the header. The raster is read here
// and written as a PNG from the samples alone, so no comment can survive.

export interface NetpbmHeader {
  magic: number;
  width: number;
  height: number;
  maxval: number;
  /** Offset of the raster (binary forms) or of the first sample (ASCII forms). */
  dataStart: number;
  comments: number;
}

export function parseNetpbmHeader(b: Buffer): NetpbmHeader | null {
  if (b.length < 3 || b[0] !== 0x50 || b[1]! < 0x31 || b[1]! > 0x36) return null;
  if (!isSpace(b[2]) && b[2] !== 0x23) return null; // "P3 was the room" is prose: see below
  const magic = b[1]! - 0x30;
  const want = magic === 1 || magic === 4 ? 2 : 3;
  const numbers: number[] = [];
  let at = 2;
  let comments = 0;
  while (numbers.length < want) {
    const c = b[at];
    if (c === undefined) return null;
    if (c === 0x23) {
      comments++;
      while (at < b.length && b[at] !== 0x0a && b[at] !== 0x0d) at++;
    } else if (isSpace(c)) at++;
    else if (isDigit(c)) {
      let n = 0;
      while (isDigit(b[at]) && n < 1e7) n = n * 10 + b[at++]! - 0x30;
      numbers.push(n);
    } else return null; // a word where a number belongs: not netpbm
  }
  const [width, height, maxval = 1] = numbers as [number, number, number?];
  if (width < 1 || height < 1 || maxval < 1 || maxval > 65535) return null;
  if (!isSpace(b[at])) return null;
  return { magic, width, height, maxval, dataStart: at + 1, comments };
}

const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;
const isSpace = (c: number | undefined) =>
  c === 0x20 || (c !== undefined && c >= 0x09 && c <= 0x0d);

function samples(b: Buffer, h: NetpbmHeader, count: number): number[] | null {
  const out: number[] = [];
  if (h.magic <= 3) {
    const text = b
      .subarray(h.dataStart)
      .toString('latin1')
      .replace(/#[^\n]*/g, ' ');
    const tokens = h.magic === 1 ? text.replace(/\s+/g, '').split('') : text.trim().split(/\s+/);
    for (const t of tokens.slice(0, count)) out.push(Number(t));
  } else if (h.magic === 4) {
    const rowBytes = Math.ceil(h.width / 8);
    for (let y = 0; y < h.height; y++)
      for (let x = 0; x < h.width; x++) {
        const byte = b[h.dataStart + y * rowBytes + (x >> 3)];
        if (byte === undefined) return null;
        out.push((byte >> (7 - (x & 7))) & 1);
      }
  } else {
    const wide = h.maxval > 255;
    for (let i = 0; i < count; i++) {
      const at = h.dataStart + i * (wide ? 2 : 1);
      if (at + (wide ? 2 : 1) > b.length) return null;
      out.push(wide ? b.readUInt16BE(at) : b[at]!);
    }
  }
  return out.length === count && out.every((v) => Number.isInteger(v) && v >= 0 && v <= h.maxval)
    ? out
    : null;
}

export class NetpbmSanitiser implements Sanitiser {
  readonly formats = ['image/x-portable-anymap'];

  async sanitise(input: Buffer, ctx: SanitiseContext): Promise<SanitiseResult> {
    const report: FileSanitiseReport = { format: 'netpbm', removed: [], kept: [] };
    const h = parseNetpbmHeader(input);
    if (h === null) return { status: 'unsanitised', reason: 'TOOL_FAILED', report };
    if (h.width * h.height > MAX_IMAGE_PIXELS) throw new LimitExceeded('IMAGE_TOO_MANY_PIXELS');
    const channels = h.magic === 3 || h.magic === 6 ? 3 : 1;
    const values = samples(input, h, h.width * h.height * channels);
    if (values === null) return { status: 'unsanitised', reason: 'TOOL_FAILED', report };
    // PBM: 1 is black. Others scale to 8 bits.
    const raw = Buffer.from(
      values.map((v) =>
        h.magic === 1 || h.magic === 4 ? (v ? 0 : 255) : Math.round((v * 255) / h.maxval),
      ),
    );
    const data = await sharp(raw, { raw: { width: h.width, height: h.height, channels } })
      .png()
      .toBuffer();
    if (h.comments > 0) report.removed.push('netpbm comments');
    report.kept.push('pixels, converted to PNG (8 bits per sample)');
    const verdict = await verifyClean(data, 'png', ctx);
    if (!verdict.ok) {
      report.notes = [`left after cleaning: ${verdict.leftover.join(', ')}`];
      return { status: 'unsanitised', reason: 'VERIFY_FAILED', report };
    }
    return { status: 'clean', data, mime: 'image/png', extension: 'png', report };
  }
}
