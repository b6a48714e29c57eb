import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SanitiseContext } from '../types';

// tesseract (Debian's tesseract-ocr with its kor, rus and eng data) over page or photo images
// already decoded to PNG in the scratch dir. It reads pixels only. One thread (OMP): the jail
// has two cores to share with the worker, and one thread keeps a run's output reproducible.

const run = promisify(execFile);

/** The scripts our sources write in: Korean, Russian, and English. */
export const OCR_LANGUAGES = 'kor+rus+eng';

export interface OcrWord {
  text: string;
  /** tesseract's confidence, 0–100. */
  conf: number;
}

export interface OcrOutput {
  /** The recognised text, page by page (form feeds between pages). */
  text: string;
  words: OcrWord[];
  /** With `pdf`: the images as PDF pages under an invisible text layer (GlyphLessFont). */
  pdf: Buffer | null;
}

export async function runTesseract(
  images: readonly string[],
  ctx: SanitiseContext,
  /**
   * psm: tesseract's page segmentation. 3 (automatic) for rendered pages; 4 (one column of
   * variable-size text) for photos, where 3 was seen to pass over a whole line of large Hangul.
   */
  opts: { pdf: boolean; dpi?: number; psm: 3 | 4 },
): Promise<OcrOutput> {
  const dir = await mkdtemp(join(ctx.tmpDir, 'ocr-'));
  try {
    const list = join(dir, 'pages.txt');
    await writeFile(list, images.map((p) => `${p}\n`).join(''), { mode: 0o600 });
    const base = join(dir, 'out');
    const args = [list, base, '-l', OCR_LANGUAGES, '--psm', String(opts.psm)];
    if (opts.dpi) args.push('--dpi', String(opts.dpi));
    args.push(...(opts.pdf ? ['pdf'] : []), 'txt', 'tsv');
    await run('tesseract', args, {
      env: { PATH: '/usr/bin:/bin', OMP_THREAD_LIMIT: '1', LANG: 'C.UTF-8' },
      maxBuffer: 1024 * 1024,
      // The jail's deadline is the real bound; this one only keeps an unjailed run finite.
      timeout: 15 * 60_000,
    });
    const text = await readFile(`${base}.txt`, 'utf8');
    const words = parseTsv(await readFile(`${base}.tsv`, 'utf8'));
    const pdf = opts.pdf ? await readFile(`${base}.pdf`) : null;
    return { text, words, pdf };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** tesseract's TSV: level 5 rows are words, with conf in column 11 and text in 12. */
export function parseTsv(tsv: string): OcrWord[] {
  const words: OcrWord[] = [];
  for (const line of tsv.split('\n').slice(1)) {
    const cols = line.split('\t');
    if (cols[0] !== '5' || cols.length < 12) continue;
    const text = cols.slice(11).join('\t').trim();
    if (text !== '') words.push({ text, conf: Number(cols[10]) });
  }
  return words;
}
