import { z } from 'zod';
import { ODF, OOXML } from '../../core/media-types';

// What a jail may answer, checked before anything it says is believed: a jail runs
// attacker-influenced code. An answer that fails is thrown away with its jail (SANDBOX_BAD_ANSWER).

const text = (max: number) => z.string().max(max);
const list = (items: number, len: number) => z.array(text(len)).max(items);

export const reportSchema = z
  .object({
    format: text(32),
    removed: list(500, 200),
    kept: list(100, 200),
    notes: list(50, 500).optional(),
  })
  .strict();

const clean = z
  .object({
    op: z.literal('result'),
    status: z.literal('clean'),
    mime: text(100),
    extension: z.string().regex(/^[a-z0-9]{1,8}$/),
    size: z.number().int().nonnegative(),
    report: reportSchema,
  })
  .strict();

const unsanitised = z
  .object({
    op: z.literal('result'),
    status: z.literal('unsanitised'),
    reason: z.string().regex(/^[A-Z][A-Z0-9_]{1,40}$/),
    report: reportSchema,
  })
  .strict();

export const answerSchema = z.discriminatedUnion('status', [clean, unsanitised]);
export type Answer = z.infer<typeof answerSchema>;

const ascii = (b: Buffer, start: number, end: number) => b.subarray(start, end).toString('latin1');
const ftyp = (b: Buffer) => ascii(b, 4, 8) === 'ftyp';
const zip = (b: Buffer) => ascii(b, 0, 4) === 'PK\x03\x04';
const riff = (kind: string) => (b: Buffer) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === kind;
const utf8 = (b: Buffer) => {
  if (b.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
};

interface Claim {
  extensions: string[];
  /** Checks the leading bytes (the whole output for text). */
  magic: (head: Buffer) => boolean;
}

const CLAIMS: Record<string, Claim> = {
  'image/jpeg': {
    extensions: ['jpg'],
    magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  },
  'image/png': { extensions: ['png'], magic: (b) => ascii(b, 0, 8) === '\x89PNG\r\n\x1a\n' },
  'image/gif': { extensions: ['gif'], magic: (b) => /^GIF8[79]a$/.test(ascii(b, 0, 6)) },
  'image/webp': { extensions: ['webp'], magic: riff('WEBP') },
  'image/tiff': { extensions: ['tif'], magic: (b) => ['II*\0', 'MM\0*'].includes(ascii(b, 0, 4)) },
  'image/avif': { extensions: ['avif'], magic: ftyp },
  'image/heic': { extensions: ['heic'], magic: ftyp },
  'image/heif': { extensions: ['heif'], magic: ftyp },
  'application/pdf': { extensions: ['pdf'], magic: (b) => ascii(b, 0, 5) === '%PDF-' },
  [`${OOXML}.wordprocessingml.document`]: { extensions: ['docx'], magic: zip },
  [`${OOXML}.spreadsheetml.sheet`]: { extensions: ['xlsx'], magic: zip },
  [`${OOXML}.presentationml.presentation`]: { extensions: ['pptx'], magic: zip },
  [`${ODF}.text`]: { extensions: ['odt'], magic: zip },
  [`${ODF}.spreadsheet`]: { extensions: ['ods'], magic: zip },
  [`${ODF}.presentation`]: { extensions: ['odp'], magic: zip },
  [`${ODF}.graphics`]: { extensions: ['odg'], magic: zip },
  [`${ODF}.formula`]: { extensions: ['odf'], magic: zip },
  'application/epub+zip': { extensions: ['epub'], magic: zip },
  'audio/mpeg': {
    extensions: ['mp3'],
    magic: (b) => ascii(b, 0, 3) === 'ID3' || (b[0] === 0xff && (b[1]! & 0xe0) === 0xe0),
  },
  'audio/mp4': { extensions: ['m4a'], magic: ftyp },
  'video/mp4': { extensions: ['mp4'], magic: ftyp },
  'video/quicktime': { extensions: ['mov'], magic: (b) => ftyp(b) || ascii(b, 4, 8) === 'moov' },
  'video/3gpp': { extensions: ['3gp'], magic: ftyp },
  'audio/ogg': { extensions: ['ogg'], magic: (b) => ascii(b, 0, 4) === 'OggS' },
  'audio/wav': { extensions: ['wav'], magic: riff('WAVE') },
  'audio/flac': { extensions: ['flac'], magic: (b) => ascii(b, 0, 4) === 'fLaC' },
  'audio/aiff': { extensions: ['aiff'], magic: (b) => ascii(b, 0, 4) === 'FORM' },
  'text/plain; charset=utf-8': { extensions: ['txt'], magic: utf8 },
  'text/csv; charset=utf-8': { extensions: ['csv'], magic: utf8 },
  'text/markdown; charset=utf-8': { extensions: ['md'], magic: utf8 },
};

/** Head bytes the worker keeps of a streamed output to check its claimed type. */
export const HEAD_BYTES = 16;

/**
 * Whether bytes are what the jail says they are: a known type, its extension, and leading
 * bytes of that type (text: valid UTF-8 throughout, checked on the whole output).
 */
export function claimHolds(mime: string, extension: string, data: Buffer, whole: boolean): boolean {
  const claim = CLAIMS[mime];
  if (!claim || !claim.extensions.includes(extension)) return false;
  if (mime.startsWith('text/') && !whole) return false;
  return claim.magic(data);
}
