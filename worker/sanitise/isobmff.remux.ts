import {
  children,
  mdatHeader,
  readBoxes,
  serialise,
  sizeOf,
  box,
  type Box,
  type OffsetTable,
  type Out,
} from './isobmff.boxes';
import { processTrack, trackHeader, zeroDates, type Chunk } from './isobmff.track';
import { refusal, Refused, type Remuxed } from './remux';

// Native MP4/M4A/MOV/3GP cleaning (ISO BMFF and QuickTime), without a subprocess. The output is
// written anew as ftyp, moov, mdat:
// - moov keeps the movie header (dates zeroed, duration of the kept tracks) and the audio and
//   video tracks (isobmff.track.ts); udta, meta (iTunes tags, ©xyz location, keys), iods and any
//   other movie-level box are dropped, as are subtitle, timecode, data (timed location) and
//   chapter tracks.
// - mdat holds only the chunks the kept tracks point at, copied byte for byte in their original
//   order, with every chunk offset rewritten. A dropped track's samples, free space, and bytes
//   no track refers to are not copied: the media data is not trusted to hold only media.
// - top-level free/skip/wide, uuid (XMP and vendor boxes), meta and udta are dropped.
// Fragmented files (moof), compressed or reference movies, and anything else unknown are refused;
// the caller falls back to ffmpeg.
//
// The moov must be read before the media data can be placed, wherever it is in the file; with the
// input in memory that is a matter of offsets. (On a seekable file the same two steps — read the
// boxes' headers and moov, then copy the chunks in order — would stream.)

const XMP_UUID = 'be7acfcb97a942e89c71999491e3afac';
const DROPPED_TOP = new Set(['free', 'skip', 'wide', 'uuid', 'meta', 'udta', 'pnot', 'PICT']);

interface Found {
  tags: number;
  cover: boolean;
  location: boolean;
  chapters: boolean;
  xmp: boolean;
  vendorBoxes: number;
  unused: number;
  encoderName: boolean;
}

export function remuxIsoBmff(b: Buffer): Remuxed {
  try {
    return remux(b);
  } catch (e) {
    return refusal(e);
  }
}

function remux(b: Buffer): Remuxed {
  const found: Found = {
    ...{ tags: 0, cover: false, location: false, chapters: false },
    ...{ xmp: false, vendorBoxes: 0, unused: 0, encoderName: false },
  };
  let ftyp: Box | undefined;
  let moov: Box | undefined;
  const mdats: Box[] = [];
  for (const top of readBoxes(b, 0, b.length)) {
    if (top.type === 'ftyp' && !ftyp && !moov && mdats.length === 0) ftyp = top;
    else if (top.type === 'moov' && !moov) moov = top;
    else if (top.type === 'mdat') mdats.push(top);
    else if (DROPPED_TOP.has(top.type)) dropTop(b, top, found);
    else throw new Refused('unsupported top-level box');
  }
  if (!moov || mdats.length === 0) throw new Refused('no movie or no media data');
  // QuickTime proper (brand 'qt  ', or no ftyp at all) writes handler names as Pascal strings.
  const quickTime = !ftyp || b.toString('latin1', ftyp.body, ftyp.body + 4) === 'qt  ';

  const moovKids = children(b, moov);
  const traks = moovKids.filter((c) => c.type === 'trak');
  const chapterIds = chapterTrackIds(b, traks);
  const mediaBytes = mdats.reduce((sum, m) => sum + (m.end - m.body), 0);

  let mvhd: Buffer | undefined;
  let datesSet = false;
  let duration = 0;
  const trakNodes: Out[] = [];
  const tables: { table: OffsetTable; chunks: Chunk[] }[] = [];
  const droppedTracks = new Map<string, number>();
  for (const c of moovKids) {
    if (c.type === 'mvhd') {
      const z = zeroDates(b, c);
      mvhd = z.out;
      datesSet ||= z.wasSet;
    } else if (c.type === 'trak') {
      const id = trackHeaderId(b, c);
      const t = processTrack(b, c, { quickTime, chapterTrack: chapterIds.has(id) });
      if (!t.kept) {
        droppedTracks.set(t.kind, (droppedTracks.get(t.kind) ?? 0) + 1);
        continue;
      }
      trakNodes.push(t.node);
      tables.push({ table: t.table, chunks: t.chunks });
      duration = Math.max(duration, t.duration);
      datesSet ||= t.datesSet;
      found.encoderName ||= t.encoderName;
    } else if (['mvex', 'cmov', 'rmra'].includes(c.type)) {
      throw new Refused('fragmented, compressed or reference movie');
    } else if (c.type === 'udta' || c.type === 'meta') {
      summarise(b, c, found);
    } else {
      found.vendorBoxes++;
    }
  }
  if (!mvhd || trakNodes.length === 0) throw new Refused('no audio or video track');
  setMovieDuration(mvhd, duration);

  const media = placeChunks(tables, mdats);
  found.unused += mediaBytes - media.payload;
  const head = mdatHeader(media.payload);
  const ftypOut = ftyp ? fileType(b, ftyp) : Buffer.alloc(0);
  const moovNode = box('moov', mvhd, ...trakNodes);
  // Chunk offsets go in 32-bit stco tables unless the output passes 4 GiB; then all in co64.
  const layout = (): number => {
    const base = ftypOut.length + sizeOf(moovNode) + head.length;
    for (const t of tables)
      t.chunks.forEach((c, i) => (t.table.offsets[i] = base + media.at.get(c)!));
    return base + media.payload;
  };
  if (layout() > 0xffffffff) {
    for (const t of tables) t.table.wide = true;
    layout();
  }
  const data = Buffer.concat([
    ftypOut,
    serialise(moovNode),
    head,
    ...media.ranges.map((r) => b.subarray(r.start, r.end)),
  ]);
  return { ok: true, data, removed: describe(found, droppedTracks, datesSet) };
}

interface Placement {
  /** Input byte ranges to copy, in order: the new mdat's payload. */
  ranges: { start: number; end: number }[];
  payload: number;
  /** Each chunk's offset inside the new payload. */
  at: Map<Chunk, number>;
}

/** The new media data: every kept chunk, in file order, back to back. */
function placeChunks(tables: { chunks: Chunk[] }[], mdats: Box[]): Placement {
  const all = tables.flatMap((t) => t.chunks).sort((x, y) => x.offset - y.offset);
  const placement: Placement = { ranges: [], payload: 0, at: new Map() };
  let previousEnd = 0;
  for (const chunk of all) {
    placement.at.set(chunk, placement.payload);
    if (chunk.size === 0) continue;
    const end = chunk.offset + chunk.size;
    if (chunk.offset < previousEnd) throw new Refused('overlapping chunks');
    if (!mdats.some((m) => chunk.offset >= m.body && end <= m.end)) {
      throw new Refused('chunk outside the media data');
    }
    const last = placement.ranges[placement.ranges.length - 1];
    if (last && last.end === chunk.offset) last.end = end;
    else placement.ranges.push({ start: chunk.offset, end });
    placement.payload += chunk.size;
    previousEnd = end;
  }
  return placement;
}

// Brands a phone, camera or muxer writes. Others are dropped from the compatible list: four
// bytes each, a long list could spell anything.
const KNOWN_BRANDS = new Set([
  ...['isom', 'iso2', 'iso3', 'iso4', 'iso5', 'iso6', 'iso7', 'iso8', 'iso9', 'mp41', 'mp42'],
  ...['avc1', 'hvc1', 'hev1', 'av01', 'M4A ', 'M4B ', 'M4P ', 'M4V ', 'qt  ', 'mp71', 'dash'],
  ...['3gp4', '3gp5', '3gp6', '3gp7', '3gp8', '3gp9', '3gg6', '3g2a', '3g2b', '3g2c', 'msnv'],
  ...['MSNV', 'XAVC', 'CAEP', 'f4v ', 'kddi', 'MQT ', 'caqv', 'mif1'],
]);

/** ftyp with its major brand, minor version 0 and only known compatible brands. */
function fileType(b: Buffer, ftyp: Box): Buffer {
  if (ftyp.end - ftyp.body < 8) throw new Refused('ftyp too short');
  const brands: Buffer[] = [];
  for (let o = ftyp.body + 8; o + 4 <= ftyp.end; o += 4) {
    if (KNOWN_BRANDS.has(b.toString('latin1', o, o + 4))) brands.push(b.subarray(o, o + 4));
  }
  const head = Buffer.alloc(16);
  head.writeUInt32BE(16 + brands.length * 4, 0);
  head.write('ftyp', 4, 'latin1');
  b.copy(head, 8, ftyp.body, ftyp.body + 4); // major brand: detect-format routed on it
  return Buffer.concat([head, ...brands]);
}

function trackHeaderId(b: Buffer, trak: Box): number {
  const tkhd = children(b, trak).find((c) => c.type === 'tkhd');
  if (!tkhd) throw new Refused('track without header');
  return trackHeader(b, tkhd).id;
}

/** Ids of tracks another track names as its chapters (text or thumbnail tracks). */
function chapterTrackIds(b: Buffer, traks: Box[]): Set<number> {
  const ids = new Set<number>();
  for (const trak of traks) {
    for (const tref of children(b, trak).filter((c) => c.type === 'tref')) {
      for (const ref of children(b, tref).filter((r) => r.type === 'chap')) {
        for (let o = ref.body; o + 4 <= ref.end; o += 4) ids.add(b.readUInt32BE(o));
      }
    }
  }
  return ids;
}

/** The movie's duration becomes the longest kept track's (a dropped track may have been longer). */
function setMovieDuration(mvhd: Buffer, duration: number): void {
  if (mvhd.readUInt32BE(0) === 1) throw new Refused('mvhd with a 64-bit size');
  if (duration === 0) return; // no track states one: leave the header's own
  const v1 = mvhd[8] === 1;
  const at = 8 + (v1 ? 24 : 16);
  if (at + (v1 ? 8 : 4) > mvhd.length) throw new Refused('mvhd too short');
  if (v1) mvhd.writeBigUInt64BE(BigInt(duration), at);
  else mvhd.writeUInt32BE(Math.min(duration, 0xffffffff), at);
}

function dropTop(b: Buffer, top: Box, found: Found): void {
  if (top.type === 'uuid') {
    if (b.toString('hex', top.body, top.body + 16) === XMP_UUID) found.xmp = true;
    else found.vendorBoxes++;
  } else if (top.type === 'meta' || top.type === 'udta') {
    summarise(b, top, found);
  } else if (['free', 'skip', 'wide'].includes(top.type)) {
    found.unused += top.end - top.body;
  } else {
    found.vendorBoxes++;
  }
}

/** Counts what a udta or meta box held, for the report; an unreadable one is still dropped. */
function summarise(b: Buffer, bx: Box, found: Found): void {
  try {
    if (bx.type === 'meta') {
      // ISO meta is a full box (4 bytes of version and flags); QuickTime's is not.
      const full = b.toString('latin1', bx.body + 4, bx.body + 8) !== 'hdlr';
      for (const c of children(b, bx, full ? 4 : 0)) {
        if (c.type === 'ilst') {
          for (const item of children(b, c)) {
            if (item.type === 'covr') found.cover = true;
            else found.tags++;
          }
        } else if (c.type === 'keys') {
          if (/location/i.test(b.toString('latin1', c.body, c.end))) found.location = true;
        } else if (c.type === 'uuid' || c.type === 'xml ') found.xmp ||= c.type === 'xml ';
      }
      return;
    }
    for (const c of children(b, bx)) {
      if (c.type === 'meta') summarise(b, c, found);
      else if (c.type === '\xa9xyz' || c.type === 'loci') {
        found.location = true;
        found.tags++;
      } else if (c.type === 'chpl') found.chapters = true;
      else if (c.type === 'XMP_') found.xmp = true;
      else if (c.type !== 'free' && c.type !== 'skip') found.tags++;
    }
  } catch {
    found.tags++;
  }
}

function describe(f: Found, dropped: Map<string, number>, datesSet: boolean): string[] {
  const removed: string[] = [];
  if (f.tags > 0) removed.push(`container and stream tags (${f.tags})`);
  if (f.location) removed.push('location');
  if (f.cover) removed.push('cover art');
  if (f.chapters || dropped.has('chapter')) removed.push('chapters');
  if (f.xmp) removed.push('XMP');
  for (const kind of ['subtitle', 'timecode', 'data'] as const) {
    const n = dropped.get(kind);
    if (n) removed.push(`${kind} streams (${n})`);
  }
  if (datesSet) removed.push('creation and modification dates');
  if (f.encoderName) removed.push('encoder name in the video sample description');
  if (f.vendorBoxes > 0) removed.push(`other metadata boxes (${f.vendorBoxes})`);
  if (f.unused > 0) removed.push(`media data no kept track uses (${f.unused} bytes)`);
  return removed;
}
