import { detectFormat, FORMAT_MIME, type Format } from './detect-format';
import { BmpSanitiser } from './bmp';
import { HeicSanitiser } from './heic.sanitiser';
import { HwpSanitiser } from './hwp/hwp.sanitiser';
import { ImageSanitiser } from './image.sanitiser';
import { LimitExceeded } from './limits';
import { MediaSanitiser } from './media';
import { NetpbmSanitiser } from './netpbm';
import { EpubSanitiser } from './office/epub';
import { OfficeSanitiser } from './office/office.sanitiser';
import { PdfSanitiser } from './pdf.sanitiser';
import { HtmlSanitiser, SvgSanitiser } from './svg-html.sanitiser';
import { TextFileSanitiser } from './text-file.sanitiser';
import type { SanitiseContext, SanitiseResult, Sanitiser } from './types';

export type { SanitiseContext, FileSanitiseReport, SanitiseResult } from './types';
export { detectFormat, type Format } from './detect-format';
export { SanitiseTmpError, withSanitiseTmpDir } from './tmp-dir';

// One entry point for every attachment, routed by the format read from the bytes. What cannot
// be cleaned comes back `unsanitised` with a reason, never as clean, never as an exception.

const IMAGE_AND_MEDIA: readonly Format[] = [
  ...(['jpeg', 'png', 'gif', 'webp', 'tiff'] as const),
  ...(['mp3', 'm4a', 'mp4', 'mov', '3gp', 'ogg', 'wav'] as const),
];

const textFile = new TextFileSanitiser();
const flat: Sanitiser[] = [
  new ImageSanitiser(),
  new HeicSanitiser(),
  new PdfSanitiser(),
  new MediaSanitiser(),
  new NetpbmSanitiser(),
  new BmpSanitiser(),
  new SvgSanitiser(),
  new HtmlSanitiser(),
  textFile,
];
// Files inside an office document go through the same sanitisers, but only images and media:
// a document nested in a document is not followed.
const office = new OfficeSanitiser((data, ctx) => route(data, ctx, IMAGE_AND_MEDIA));
// HWP/HWPX are rebuilt as an ODT, which then goes through the office cleaner like any other.
const hwp = new HwpSanitiser((odt, ctx) => office.sanitise(odt, ctx));
const epub = new EpubSanitiser((data, ctx) => route(data, ctx, ['jpeg', 'png', 'gif', 'webp']));
const byMime = new Map<string, Sanitiser>();
for (const s of [...flat, office, hwp, epub]) for (const mime of s.formats) byMime.set(mime, s);

export interface Declared {
  name: string;
  type: string;
}

export async function sanitiseFile(
  input: Buffer,
  declared: Declared,
  ctx: SanitiseContext,
): Promise<SanitiseResult> {
  const result = await route(input, ctx, null, declared.name);
  const format = detectFormat(input);
  if (format !== null && declared.type !== '' && declared.type !== FORMAT_MIME[format]) {
    // Said without quoting the declared type: it comes from the client.
    result.report.notes = [...(result.report.notes ?? []), 'declared type differs from content'];
  }
  return result;
}

async function route(
  input: Buffer,
  ctx: SanitiseContext,
  only: readonly Format[] | null,
  declaredName = '',
): Promise<SanitiseResult> {
  const format = detectFormat(input);
  const sanitiser = format === null ? undefined : byMime.get(FORMAT_MIME[format]);
  if (format === null || sanitiser === undefined || (only !== null && !only.includes(format))) {
    return unsanitised('UNSUPPORTED_FORMAT', format ?? 'unknown');
  }
  try {
    return sanitiser === textFile
      ? await textFile.sanitise(input, ctx, declaredName)
      : await sanitiser.sanitise(input, ctx);
  } catch (err) {
    if (err instanceof LimitExceeded) return unsanitised(err.code, format);
    // The error's message may quote the file; only the fact of the failure is kept.
    return unsanitised('TOOL_FAILED', format);
  }
}

function unsanitised(reason: string, format: string): SanitiseResult {
  return { status: 'unsanitised', reason, report: { format, removed: [], kept: [] } };
}
