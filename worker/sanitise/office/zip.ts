import { unzipSync, zipSync, type Zippable } from 'fflate';

// Entries in memory only. Limits on the sizes the central directory declares keep an ordinary
// zip bomb from taking the worker down.
const MAX_ENTRIES = 10_000;
const MAX_TOTAL = 1 << 30;

export type Entries = Map<string, Uint8Array>;

export function readZip(data: Buffer): Entries {
  let total = 0;
  let count = 0;
  const raw = unzipSync(data, {
    filter: (f) => {
      total += f.originalSize;
      if (++count > MAX_ENTRIES || total > MAX_TOTAL) throw new Error('ZIP_TOO_LARGE');
      return !f.name.endsWith('/'); // directory entries carry nothing but a name and a date
    },
  });
  return new Map(Object.entries(raw));
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
