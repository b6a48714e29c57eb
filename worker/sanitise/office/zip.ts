import { unzipSync, zipSync, type Zippable } from 'fflate';
import {
  ARCHIVE_RATIO_FLOOR,
  LimitExceeded,
  MAX_ARCHIVE_BYTES,
  MAX_ARCHIVE_ENTRIES,
  MAX_ARCHIVE_RATIO,
} from '../limits';

// Zip entries in memory only, within limits on the sizes the central directory declares: XML
// parts become DOM trees, so a small bomb could exhaust the heap.
export const MAX_XML_PART = 4 * 1024 * 1024;
const XML_PART = /\.(xml|rels)$/i;

export type Entries = Map<string, Uint8Array>;

export function readZip(data: Buffer): Entries {
  let total = 0;
  let count = 0;
  const raw = unzipSync(data, {
    filter: (f) => {
      total += f.originalSize;
      if (++count > MAX_ARCHIVE_ENTRIES) throw new LimitExceeded('ARCHIVE_TOO_MANY_ENTRIES');
      if (total > MAX_ARCHIVE_BYTES) throw new LimitExceeded('ARCHIVE_TOO_LARGE');
      if (total > ARCHIVE_RATIO_FLOOR && total > data.length * MAX_ARCHIVE_RATIO)
        throw new LimitExceeded('ARCHIVE_EXPANSION_RATIO');
      if (XML_PART.test(f.name) && f.originalSize > MAX_XML_PART)
        throw new LimitExceeded('ARCHIVE_TOO_LARGE');
      return !f.name.endsWith('/'); // directory entries carry nothing but a name and a date
    },
  });
  // A 0-byte XML part (an editor that died mid-save, a placeholder) holds nothing: it is
  // treated as absent rather than failing the parser and holding back the whole document.
  return new Map(
    Object.entries(raw).filter(([name, bytes]) => !(bytes.length === 0 && XML_PART.test(name))),
  );
}

// DOS time of 1980-01-01 00:00 (zip's epoch), the same for every entry, so the archive shows
// neither when it was edited nor in which time zone; "made on Unix" with no permissions, as
// mat2 writes it (any other origin system is what mat2 reports as metadata).
const EPOCH = new Date(1980, 0, 1, 0, 0, 0);

/**
 * Writes `first` (in the order given) then every other entry sorted by name: the same input
 * always gives the same bytes. `stored` entries are not compressed (ODF's `mimetype`).
 */
export function writeZip(entries: Entries, first: string[], stored: string[] = []): Buffer {
  const names = [
    ...first.filter((n) => entries.has(n)),
    ...[...entries.keys()].filter((n) => !first.includes(n)).sort(),
  ];
  const files: Zippable = {};
  for (const name of names) {
    const level = stored.includes(name) ? 0 : 6;
    files[name] = [entries.get(name)!, { level, mtime: EPOCH, os: 3, attrs: 0 }];
  }
  return Buffer.from(zipSync(files));
}
