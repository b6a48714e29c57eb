import { Refused } from '../remux';
import type { Probe } from '../ffprobe';

// A WMV/ASF file's streams, length and tags, read from its Header Object as ffmpeg's demuxer
// reads them (instead of an ffprobe start-up). Bounded; anything unexpected is Refused.

const MAX_OBJECTS = 4_096;
/** ffmpeg keeps a tag name's first 1,023 bytes; read no more of a name than that could need. */
const MAX_NAME_BYTES = 2_048;

/** An ASF GUID as stored: its first three fields little-endian. */
function guid(text: string): string {
  const h = text.replace(/-/g, '');
  const le = (s: string) => s.match(/../g)!.reverse().join('');
  return (le(h.slice(0, 8)) + le(h.slice(8, 12)) + le(h.slice(12, 16)) + h.slice(16)).toLowerCase();
}

const HEADER = guid('75B22630-668E-11CF-A6D9-00AA0062CE6C');
const DATA = guid('75B22636-668E-11CF-A6D9-00AA0062CE6C');
const FILE_PROPERTIES = guid('8CABDCA1-A947-11CF-8EE4-00C00C205365');
const STREAM_PROPERTIES = guid('B7DC0791-A9B7-11CF-8EE6-00C00C205365');
const HEADER_EXTENSION = guid('5FBF03B5-A92E-11CF-8EE3-00C00C205365');
const EXT_STREAM_PROPERTIES = guid('14E6A5CB-C672-4332-8399-A96952065B5A');
const CONTENT_DESCRIPTION = guid('75B22633-668E-11CF-A6D9-00AA0062CE6C');
const EXT_CONTENT_DESCRIPTION = guid('D2D0A440-E307-11D2-97F0-00A0C95EA850');
const METADATA = guid('C5F8CBEA-5BAF-4877-8467-AA8C44FA4CCA');
const METADATA_LIBRARY = guid('44231C94-9498-49D1-A141-1D134E457054');
const MARKER = guid('F487CD01-A951-11CF-8EE6-00C00C205365');

/** Stream types ffmpeg reads without more ado; others (JPEG, file transfer…) go to ffprobe. */
const KINDS: Record<string, string> = {
  [guid('F8699E40-5B4D-11CF-A8FD-00805F5C442B')]: 'audio',
  [guid('BC19EFC0-5B4D-11CF-A8FD-00805F5C442B')]: 'video',
  [guid('59DACFC0-59E6-11D0-A3AC-00A0C90348F6')]: 'data',
};

const CONTENT_NAMES = ['title', 'author', 'copyright', 'comment', 'rating'];
/** Descriptors ffmpeg reads as the picture's shape, not as tags. */
const PICTURE_SHAPE = new Set(['AspectRatioX', 'AspectRatioY']);

type Stream = NonNullable<Probe['streams']>[number];

class Reader {
  objects = 0;
  duration: number | undefined;
  streams: Stream[] = [];
  tags: Record<string, string> = Object.create(null) as Record<string, string>;
  chapters: unknown[] = [];

  constructor(private readonly b: Buffer) {}

  need(at: number, n: number, end: number): void {
    if (at < 0 || at + n > end) throw new Refused('header object size');
  }

  u16 = (at: number, end: number): number => (this.need(at, 2, end), this.b.readUInt16LE(at));
  u32 = (at: number, end: number): number => (this.need(at, 4, end), this.b.readUInt32LE(at));
  u64 = (at: number, end: number): number => {
    this.need(at, 8, end);
    const v = this.b.readBigUInt64LE(at);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Refused('header value');
    return Number(v);
  };
  id = (at: number, end: number): string => (
    this.need(at, 16, end),
    this.b.toString('hex', at, at + 16)
  );

  /** Objects at `depth` 0 (the header's), 1 (its extension's) or 2 (inside a stream's). */
  objectsIn(from: number, to: number, depth: number): void {
    if (depth > 2) throw new Refused('header objects nested too deep');
    let o = from;
    while (o < to) {
      if (++this.objects > MAX_OBJECTS) throw new Refused('too many header objects');
      const id = this.id(o, to);
      const size = this.u64(o + 16, to);
      if (size < 24 || o + size > to) throw new Refused('header object size');
      this.object(id, o, o + size, depth);
      o += size;
    }
  }

  object(id: string, o: number, end: number, depth: number): void {
    if (id === FILE_PROPERTIES) {
      // A broadcast file's durations are not set: left to ffprobe, as is a second copy (ffmpeg
      // gives each stream the length of the copy read before it).
      if (this.u32(o + 88, end) & 1) throw new Refused('broadcast file');
      if (this.duration !== undefined) throw new Refused('two file properties objects');
      // The preroll field is 64 bits, but ffmpeg reads only its low 32.
      this.duration = this.u64(o + 64, end) / 1e7 - this.u32(o + 80, end) / 1e3;
    } else if (id === STREAM_PROPERTIES) {
      const kind = KINDS[this.id(o + 24, end)];
      if (kind === undefined) throw new Refused('stream type');
      this.streams.push({ codec_type: kind });
    } else if (id === HEADER_EXTENSION && depth === 0) {
      // ffmpeg reads the extension's objects as if they followed it: they must fill it exactly.
      if (this.u32(o + 42, end) !== end - o - 46) throw new Refused('header extension size');
      this.objectsIn(o + 46, end, 1);
    } else if (id === EXT_STREAM_PROPERTIES) {
      let at = o + 88;
      for (let n = this.u16(o + 84, end); n > 0; n--) at += 4 + this.u16(at + 2, end);
      for (let n = this.u16(o + 86, end); n > 0; n--) at += 22 + this.u32(at + 18, end);
      this.need(at, 0, end);
      // It may carry the stream's own Stream Properties Object.
      if (at < end) this.objectsIn(at, end, depth + 1);
    } else if (id === CONTENT_DESCRIPTION) {
      CONTENT_NAMES.forEach((name, i) => {
        if (this.u16(o + 24 + 2 * i, end) > 2) this.tags[name] = '';
      });
    } else if (id === EXT_CONTENT_DESCRIPTION) {
      let at = o + 26;
      for (let n = this.u16(o + 24, end); n > 0; n--) {
        const nameLength = this.u16(at, end);
        this.tag(at + 2, nameLength, end);
        at += 2 + nameLength;
        at += 4 + this.u16(at + 2, end);
      }
    } else if (id === METADATA || id === METADATA_LIBRARY) {
      let at = o + 26;
      for (let n = this.u16(o + 24, end); n > 0; n--) {
        const nameLength = this.u16(at + 4, end);
        const dataLength = this.u32(at + 8, end);
        this.tag(at + 12, nameLength, end);
        at += 12 + nameLength + dataLength;
      }
    } else if (id === MARKER) {
      if (this.u32(o + 40, end) > 0) this.chapters.push({});
    }
  }

  /** A tag's name (only counted); WM/Picture is cover art, which ffmpeg makes a stream of. */
  tag(at: number, length: number, end: number): void {
    this.need(at, length, end);
    // Up to its first NUL, as ffmpeg reads it.
    const stop = at + Math.min(length, MAX_NAME_BYTES);
    let cut = at;
    while (cut + 1 < stop && this.b.readUInt16LE(cut) !== 0) cut += 2;
    const name = this.b.toString('utf16le', at, cut);
    if (!PICTURE_SHAPE.has(name)) this.tags[name] = '';
    if (name === 'WM/Picture')
      this.streams.push({ codec_type: 'video', disposition: { attached_pic: 1 } });
  }
}

export function asfHeaders(input: Buffer): Probe {
  const r = new Reader(input);
  if (input.length < 30 || r.id(0, input.length) !== HEADER) throw new Refused('no ASF header');
  const size = r.u64(16, input.length);
  if (size < 30 || size > input.length) throw new Refused('header object size');
  r.objectsIn(30, size, 0);
  // ffmpeg reads objects until the Data Object, wherever the Header Object says it ends.
  if (r.id(size, input.length) !== DATA) throw new Refused('data object');
  if (r.duration === undefined || !(r.duration > 0)) throw new Refused('no file properties');
  if (r.streams.every((s) => s.disposition?.attached_pic === 1)) throw new Refused('no stream');
  return {
    format: { duration: String(r.duration), tags: r.tags },
    streams: r.streams,
    chapters: r.chapters,
  };
}
