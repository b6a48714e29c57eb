import * as CFB from 'cfb';
import { inflateRawSync } from 'node:zlib';
import { LimitExceeded, MAX_ARCHIVE_BYTES } from '../limits';

// HWP 5.0 (an OLE compound file): only the paragraphs' text and the pictures in BinData/ are
// read; summary information, scripts, links and history are never read, so never carried.

export class HwpUnreadable extends Error {
  constructor(readonly why: 'ENCRYPTED' | 'DISTRIBUTION_DOCUMENT' | 'NOT_HWP') {
    super(why);
  }
}

export interface HwpContent {
  paragraphs: string[];
  binData: { name: string; data: Buffer }[];
  /** Streams present and not carried, by kind (for the report). */
  dropped: string[];
}

const SIGNATURE = 'HWP Document File';
const PARA_TEXT = 0x10 + 51;

// Control characters of HWP text (UTF-16 code units < 32): most extended and inline controls
// take 8 code units (the code, 6 of parameters, the code again); the rest take one.
const EIGHT_UNITS = new Set([
  1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
]);

function inflate(data: Buffer): Buffer {
  return inflateRawSync(data, { maxOutputLength: MAX_ARCHIVE_BYTES });
}

export function paragraphText(record: Buffer): string {
  let out = '';
  for (let i = 0; i + 1 < record.length;) {
    const unit = record.readUInt16LE(i);
    if (unit >= 32) {
      out += String.fromCharCode(unit);
      i += 2;
    } else {
      if (unit === 9) out += '\t';
      if (unit === 10) out += '\n';
      i += EIGHT_UNITS.has(unit) ? 16 : 2;
    }
  }
  return out.replace(/\r/g, '');
}

function* records(section: Buffer): Generator<{ tag: number; body: Buffer }> {
  for (let at = 0; at + 4 <= section.length;) {
    const head = section.readUInt32LE(at);
    let size = head >>> 20;
    at += 4;
    if (size === 0xfff) {
      if (at + 4 > section.length) return;
      size = section.readUInt32LE(at);
      at += 4;
    }
    if (at + size > section.length) return;
    yield { tag: head & 0x3ff, body: section.subarray(at, at + size) };
    at += size;
  }
}

export function readHwp5(input: Buffer): HwpContent {
  let cfb: CFB.CFB$Container;
  try {
    cfb = CFB.read(input, { type: 'buffer' });
  } catch {
    throw new HwpUnreadable('NOT_HWP');
  }
  const header = CFB.find(cfb, 'FileHeader')?.content;
  if (!header || Buffer.from(header).toString('latin1', 0, SIGNATURE.length) !== SIGNATURE)
    throw new HwpUnreadable('NOT_HWP');
  const flags = Buffer.from(header).readUInt32LE(36);
  if (flags & 0x2) throw new HwpUnreadable('ENCRYPTED');
  if (flags & 0x4) throw new HwpUnreadable('DISTRIBUTION_DOCUMENT'); // body text is encrypted
  const compressed = (flags & 0x1) !== 0;
  const content: HwpContent = { paragraphs: [], binData: [], dropped: [] };
  let total = 0;
  const sections = cfb.FullPaths.map((p, i) => [p, cfb.FileIndex[i]!] as const)
    .filter(([p, e]) => e.type === 2 && /\/BodyText\/Section\d+$/.test(p))
    .sort(([a], [b]) => Number(/(\d+)$/.exec(a)![1]) - Number(/(\d+)$/.exec(b)![1]));
  for (const [, entry] of sections) {
    const raw = Buffer.from(entry.content as Uint8Array);
    const section = compressed ? inflate(raw) : raw;
    total += section.length;
    if (total > MAX_ARCHIVE_BYTES) throw new LimitExceeded('ARCHIVE_TOO_LARGE');
    for (const r of records(section)) {
      if (r.tag === PARA_TEXT) content.paragraphs.push(paragraphText(r.body));
    }
  }
  cfb.FullPaths.forEach((path, i) => {
    const entry = cfb.FileIndex[i]!;
    if (entry.type !== 2) return;
    if (/\/BinData\/[^/]+$/.test(path)) {
      const raw = Buffer.from(entry.content as Uint8Array);
      let data: Buffer = raw;
      // BinData streams are compressed or not per item (DocInfo says which); try both.
      if (compressed) {
        try {
          data = inflate(raw);
        } catch {
          data = raw;
        }
      }
      content.binData.push({ name: entry.name, data });
    } else if (!/\/(FileHeader|BodyText\/Section\d+)$/.test(path)) {
      content.dropped.push(streamKind(entry.name));
    }
  });
  content.dropped = [...new Set(content.dropped)].sort();
  return content;
}

function streamKind(name: string): string {
  if (name.includes('SummaryInformation')) return 'summary properties (author, editor, dates)';
  if (name === 'DocInfo') return 'document info (fonts, styles, paths)';
  if (name.startsWith('Prv')) return 'preview text and image';
  if (/Script|JScript/i.test(name)) return 'scripts';
  if (/Link|DocOptions/i.test(name)) return 'document options and links';
  if (/History/i.test(name)) return 'edit history';
  return 'other streams';
}
