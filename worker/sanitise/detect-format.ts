import { unzipSync } from 'fflate';

// Routing is decided by the bytes, never by the name or type the client declared: a source's
// phone may mislabel a file, and a hostile upload may mislabel it on purpose so that it reaches
// a sanitiser that would pass its metadata through.

export { FORMATS, FORMAT_MIME, type Format } from '../../core/media-types';
import { ODF, OOXML, type Format } from '../../core/media-types';
import { parseNetpbmHeader } from './netpbm';
import { textKind } from './text-kind';

const ascii = (b: Buffer, start: number, end: number): string =>
  b.subarray(start, end).toString('latin1');

export function detectFormat(b: Buffer): Format | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (ascii(b, 0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (/^GIF8[79]a$/.test(ascii(b, 0, 6))) return 'gif';
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'webp';
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WAVE') return 'wav';
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'AVI ') return 'avi';
  if (ascii(b, 0, 4) === 'FORM' && /^AIF[FC]$/.test(ascii(b, 8, 12))) return 'aiff';
  if (ascii(b, 0, 4) === 'fLaC' || (ascii(b, 0, 3) === 'ID3' && afterId3(b, 'fLaC'))) return 'flac';
  if (b.subarray(0, 16).equals(ASF_HEADER)) return 'asf';
  if (isBmp(b)) return 'bmp';
  // An OLE compound file (HWP 5.0; Word 97 and others stay unknown): the FileHeader stream's
  // signature sits in the first sectors of any file Hancom writes.
  if (b.subarray(0, 8).equals(OLE) && b.subarray(0, 64 * 1024).includes(HWP_SIGNATURE))
    return 'hwp';
  if (ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*') return 'tiff';
  if (ascii(b, 0, 5) === '%PDF-') return 'pdf';
  if (ascii(b, 0, 4) === 'OggS') return 'ogg';
  if (ascii(b, 0, 4) === 'PK\x03\x04') return detectZip(b);
  if (ascii(b, 4, 8) === 'ftyp') return detectFtyp(b);
  // QuickTime files from before ftyp existed open with a bare atom.
  if (b.length >= 8 && ['moov', 'mdat', 'wide'].includes(ascii(b, 4, 8))) return 'mov';
  if (parseNetpbmHeader(b) !== null) return 'netpbm';
  if (isMp3(b)) return 'mp3';
  const text = utf8Text(b);
  return text === null ? null : textKind(text);
}

const OLE = Buffer.from('d0cf11e0a1b11ae1', 'hex');
const HWP_SIGNATURE = Buffer.from('HWP Document File', 'latin1');

// The ASF header object's GUID (WMV, WMA).
const ASF_HEADER = Buffer.from('3026b2758e66cf11a6d900aa0062ce6c', 'hex');

function afterId3(b: Buffer, magic: string): boolean {
  if (b.length < 10) return false;
  const size =
    ((b[6]! & 0x7f) << 21) | ((b[7]! & 0x7f) << 14) | ((b[8]! & 0x7f) << 7) | (b[9]! & 0x7f);
  const at = 10 + size + (b[5]! & 0x10 ? 10 : 0);
  return ascii(b, at, at + magic.length) === magic;
}

/** "BM", then a DIB header of a known size: "BM" alone is too common a start for text. */
function isBmp(b: Buffer): boolean {
  if (b.length < 26 || ascii(b, 0, 2) !== 'BM') return false;
  return [12, 40, 52, 56, 64, 108, 124].includes(b.readUInt32LE(14));
}

function detectFtyp(b: Buffer): Format | null {
  const size = Math.min(b.length, b.readUInt32BE(0));
  const brands = [ascii(b, 8, 12)];
  for (let o = 16; o + 4 <= size; o += 4) brands.push(ascii(b, o, o + 4));
  const major = brands[0] ?? '';
  if (major === 'avif' || major === 'avis') return 'avif';
  if (['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx'].includes(major)) return 'heic';
  if (major === 'mif1' || major === 'msf1') return brands.includes('avif') ? 'avif' : 'heic';
  if (major.startsWith('3gp') || major.startsWith('3g2')) return '3gp';
  if (major === 'qt  ') return 'mov';
  if (major === 'M4A ' || major === 'M4B ') return 'm4a';
  if (/^(isom|iso[2-9]|mp41|mp42|avc1|M4V |MSNV|dash)$/.test(major)) return 'mp4';
  return null;
}

const OOXML_MAIN: Record<string, Format> = {
  [`${OOXML}.wordprocessingml.document.main+xml`]: 'docx',
  [`${OOXML}.spreadsheetml.sheet.main+xml`]: 'xlsx',
  [`${OOXML}.presentationml.presentation.main+xml`]: 'pptx',
};
const ODF_MIME: Record<string, Format> = {
  [`${ODF}.text`]: 'odt',
  [`${ODF}.spreadsheet`]: 'ods',
  [`${ODF}.presentation`]: 'odp',
  [`${ODF}.graphics`]: 'odg',
  [`${ODF}.formula`]: 'odf',
};

// Only the two small identifying entries are inflated here; an unreadable zip is unknown.
function detectZip(b: Buffer): Format | null {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(b, {
      filter: (f) =>
        (f.name === 'mimetype' || f.name === '[Content_Types].xml') && f.originalSize < 1 << 20,
    });
  } catch {
    return null;
  }
  const mimetype = entries['mimetype'];
  if (mimetype) {
    const type = Buffer.from(mimetype).toString('latin1').trim();
    if (type === 'application/epub+zip') return 'epub';
    return type === 'application/hwp+zip' ? 'hwpx' : (ODF_MIME[type] ?? null);
  }
  const types = entries['[Content_Types].xml'];
  if (!types) return null;
  const xml = Buffer.from(types).toString('utf8');
  const found = Object.keys(OOXML_MAIN).filter((t) => xml.includes(`"${t}"`));
  // Macro-enabled and template variants name other main types and stay unknown.
  return found.length === 1 ? (OOXML_MAIN[found[0] as string] ?? null) : null;
}

function isMp3(b: Buffer): boolean {
  if (ascii(b, 0, 3) !== 'ID3') return b.length >= 4 && isMpegLayer3Header(b, 0);
  let start = 0;
  if (b.length >= 10) {
    const size =
      ((b[6]! & 0x7f) << 21) | ((b[7]! & 0x7f) << 14) | ((b[8]! & 0x7f) << 7) | (b[9]! & 0x7f);
    start = 10 + size + (b[5]! & 0x10 ? 10 : 0);
  }
  // Encoders pad after the tag; look a little way on for the first frame (ID3 could also
  // precede another codec, which then stays unknown).
  for (let o = start; o < Math.min(b.length - 4, start + 4096); o++) {
    if (isMpegLayer3Header(b, o)) return true;
  }
  return false;
}

function isMpegLayer3Header(b: Buffer, o: number): boolean {
  const [b0, b1, b2] = [b[o]!, b[o + 1]!, b[o + 2]!];
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return false;
  const version = (b1 >> 3) & 3;
  const layer = (b1 >> 1) & 3;
  const bitrate = b2 >> 4;
  const rate = (b2 >> 2) & 3;
  return version !== 1 && layer === 1 && bitrate !== 0 && bitrate !== 15 && rate !== 3;
}

// A text file is decoded whole several times (detection, sanitising, the text sanitiser's
// passes): past this size it is held back as unknown rather than risk the worker's memory.
export const MAX_TEXT_FILE_BYTES = 32 * 1024 * 1024;

// UTF-8 is not enough to be text: markup, netpbm and code are valid UTF-8 too (text-kind.ts).
function utf8Text(b: Buffer): string | null {
  if (b.length > MAX_TEXT_FILE_BYTES || b.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return null;
  }
}
