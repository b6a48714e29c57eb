import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { MAX_IMAGE_PIXELS, MAX_OCR_PHOTO_PIXELS, MIN_OCR_PHOTO_PIXELS } from '../limits';
import type { SanitiseContext } from '../types';
import { judgeText, tidyText } from './real-text';
import { runTesseract } from './tesseract';

// A photo of paper (a contract, a passport page, a pay slip, a note): its clean copy's pixels
// are read by tesseract, and the text is kept when it is real (real-text.ts). The photo is
// decoded once more here, from the clean copy, to a greyscale PNG on the scratch tmpfs.

export type PhotoReading =
  { kind: 'text'; text: string; confidence: number } | { kind: 'none'; note: string };

export async function readPhoto(clean: Buffer, ctx: SanitiseContext): Promise<PhotoReading> {
  let png: Buffer;
  try {
    const image = sharp(clean, { limitInputPixels: MAX_IMAGE_PIXELS });
    const { width = 0, height = 0 } = await image.metadata();
    if (width * height < MIN_OCR_PHOTO_PIXELS)
      return { kind: 'none', note: 'too small to hold readable text: not OCR’d' };
    // Past the OCR limit the photo is scaled down: more pixels would not read better.
    const scale = Math.min(1, Math.sqrt(MAX_OCR_PHOTO_PIXELS / (width * height)));
    png = await image
      .rotate()
      .resize(Math.round(width * scale), Math.round(height * scale))
      .flatten({ background: '#ffffff' })
      .greyscale()
      .png()
      .toBuffer();
  } catch {
    return { kind: 'none', note: 'image could not be decoded for OCR' };
  }
  const path = join(ctx.tmpDir, `ocr-photo-${process.pid}.png`);
  try {
    await writeFile(path, png, { mode: 0o600 });
    const out = await runTesseract([path], ctx, { pdf: false, psm: 4 });
    const verdict = judgeText(out.words);
    if (!verdict.real) return { kind: 'none', note: 'OCR found no real text' };
    return { kind: 'text', text: tidyText(out.text), confidence: verdict.confidence };
  } finally {
    png.fill(0);
    await rm(path, { force: true });
  }
}
