import { detectFormat, FORMAT_MIME, type Format } from '../detect-format';
import type { SanitiseContext, FileSanitiseReport, SanitiseResult, Sanitiser } from '../types';
import { verifyClean } from '../verify';
import { cleanOdfPackage } from './odf';
import { cleanOoxmlPart } from './ooxml-markup';
import { dropParts, fixContentTypes, pruneRelationships } from './ooxml-package';
import { Tally } from './tally';
import { parseXml, serialiseXml } from './xml';
import { LimitExceeded } from '../limits';
import { readZip, writeZip, type Entries } from './zip';

// Office documents are rebuilt from an allowlist of their parts, with the XML cleaned by a real
// parser and every embedded image or clip cleaned by its own sanitiser. A part, image or markup
// we cannot vouch for makes the whole document unsanitised rather than passed on.

/** Cleans one embedded file (the dispatcher, limited to images, audio and video). */
export type EmbeddedCleaner = (data: Buffer, ctx: SanitiseContext) => Promise<SanitiseResult>;

const OOXML: readonly Format[] = ['docx', 'xlsx', 'pptx'];
const ODF: readonly Format[] = ['odt', 'ods', 'odp', 'odg', 'odf'];
const EMBEDDABLE: readonly Format[] = [
  'jpeg',
  'png',
  'gif',
  'webp',
  'tiff',
  'mp3',
  'm4a',
  'mp4',
  'mov',
  'wav',
];

// exiftool's reading of a clean package: the zip headers of its first entry. Without Perl's
// Archive::Zip (not installed here) exiftool cannot inflate parts and says so in a Warning, so
// its reading is a weak check for office files: the second cleaning pass below is the real one.
const STRUCTURAL = [
  /^ZIP:Zip(RequiredVersion|BitFlag|Compression|ModifyDate|CRC|CompressedSize)$/,
  /^ZIP:Zip(UncompressedSize|FileName)$/,
  /^ExifTool:Warning$/,
];

class EmbeddedMediaError extends Error {
  constructor(readonly note: string) {
    super('EMBEDDED_MEDIA_UNSANITISED');
  }
}

export class OfficeSanitiser implements Sanitiser {
  readonly formats = [...OOXML, ...ODF].map((f) => FORMAT_MIME[f]);

  constructor(private readonly cleanEmbedded: EmbeddedCleaner) {}

  async sanitise(input: Buffer, ctx: SanitiseContext): Promise<SanitiseResult> {
    const format = detectFormat(input);
    const report: FileSanitiseReport = { format: format ?? 'office', removed: [], kept: [] };
    const isOdf = format !== null && ODF.includes(format);
    if (format === null || !(isOdf || OOXML.includes(format))) {
      return { status: 'unsanitised', reason: 'UNSUPPORTED_FORMAT', report };
    }
    try {
      const entries = readZip(input);
      const tally = new Tally();
      if (isOdf) cleanOdfPackage(entries, tally);
      else cleanOoxml(entries, tally);
      const media = await this.cleanMedia(entries, isOdf ? /^Pictures\// : /\/media\//, ctx);
      report.removed = tally.list();
      report.kept = ['document text, formatting and layout'];
      if (media > 0) report.kept.push(`embedded images and media, each cleaned (${media})`);
      report.notes = ['tracked changes were accepted; zip dates set to 1980-01-01'];
      const data = isOdf
        ? writeZip(entries, ['mimetype', 'META-INF/manifest.xml'], ['mimetype'])
        : writeZip(entries, ['[Content_Types].xml', '_rels/.rels']);
      const verdict = await verifyClean(data, format, ctx, STRUCTURAL);
      // Cleaning the output again must find nothing more to remove.
      const leftover = verdict.ok ? secondPass(data, isOdf) : verdict.leftover;
      if (leftover.length > 0) {
        report.notes.push(`left after cleaning: ${leftover.join(', ')}`);
        return { status: 'unsanitised', reason: 'VERIFY_FAILED', report };
      }
      return { status: 'clean', data, mime: FORMAT_MIME[format], extension: format, report };
    } catch (err) {
      if (err instanceof LimitExceeded) return { status: 'unsanitised', reason: err.code, report };
      if (err instanceof EmbeddedMediaError) {
        report.notes = [err.note];
        return { status: 'unsanitised', reason: err.message, report };
      }
      return { status: 'unsanitised', reason: 'TOOL_FAILED', report };
    }
  }

  /** Replaces every embedded file by its cleaned copy in the same format; returns how many. */
  private async cleanMedia(entries: Entries, where: RegExp, ctx: SanitiseContext): Promise<number> {
    let count = 0;
    for (const [name, bytes] of entries) {
      if (!where.test(name)) continue;
      const original = Buffer.from(bytes);
      const format = detectFormat(original);
      const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1] ?? 'unknown';
      if (format === null || !EMBEDDABLE.includes(format)) {
        throw new EmbeddedMediaError(`embedded .${ext} file cannot be cleaned`);
      }
      const result = await this.cleanEmbedded(original, ctx);
      // Same format out as in: the document's content types and references stay true.
      if (result.status !== 'clean' || detectFormat(result.data) !== format) {
        throw new EmbeddedMediaError(`embedded .${ext} file could not be cleaned`);
      }
      entries.set(name, result.data);
      count++;
    }
    return count;
  }
}

function secondPass(data: Buffer, isOdf: boolean): string[] {
  const tally = new Tally();
  const entries = readZip(data);
  if (isOdf) cleanOdfPackage(entries, tally);
  else cleanOoxml(entries, tally);
  return tally.list();
}

function cleanOoxml(entries: Entries, tally: Tally): void {
  if (!entries.has('[Content_Types].xml')) throw new Error('OOXML_NO_CONTENT_TYPES');
  dropParts(entries, tally);
  const pruned = pruneRelationships(entries, tally);
  fixContentTypes(entries);
  for (const [name, bytes] of entries) {
    if (!name.endsWith('.xml') || name === '[Content_Types].xml') continue;
    const doc = parseXml(bytes);
    cleanOoxmlPart(doc, pruned.get(name) ?? new Set(), tally);
    entries.set(name, serialiseXml(doc));
  }
}
