import { LimitExceeded, MAX_MEDIA_SECONDS, MAX_MEDIA_TRACKS } from '../../limits';
import {
  box,
  children,
  heldBox,
  mdatHeader,
  serialise,
  sizeOf,
  type Box,
  type OffsetTable,
  type Out,
  type TopBox,
} from './boxes';
import { describe, dropTop, nothingFound, summarise } from './report';
import { processTrack, trackHeader, zeroDates, type Chunk } from './track';
import { Refused } from '../remux';

// The new layout of an MP4/M4A/MOV/3GP file from its top-level boxes: ftyp, a rebuilt moov,
// and an mdat of only the chunks the kept tracks point at, as ascending input ranges. See MEDIA.md.

const DROPPED_TOP = new Set(['free', 'skip', 'wide', 'uuid', 'meta', 'udta', 'pnot', 'PICT']);

export interface Range {
  start: number;
  end: number;
}

export interface IsoBmffPlan {
  /** ftyp, moov and the mdat header: everything the output holds before the media data. */
  head: Buffer;
  /** Input byte ranges, ascending and disjoint, that make the mdat's payload in this order. */
  ranges: Range[];
  /** Output length: head plus every range. */
  size: number;
  removed: string[];
}

/** Throws Refused for a structure it does not handle. */
export function planIsoBmff(tops: readonly TopBox[]): IsoBmffPlan {
  const found = nothingFound();
  let ftyp: TopBox | undefined;
  let moov: TopBox | undefined;
  const mdats: Box[] = [];
  for (const top of tops) {
    if (top.type === 'ftyp' && !ftyp && !moov && mdats.length === 0) ftyp = top;
    else if (top.type === 'moov' && !moov) moov = top;
    else if (top.type === 'mdat') mdats.push(top);
    else if (DROPPED_TOP.has(top.type)) dropTop(top, found);
    else throw new Refused('unsupported top-level box');
  }
  const movie = moov && heldBox(moov);
  if (!movie || mdats.length === 0) throw new Refused('no movie or no media data');
  const fileTypeBox = ftyp && heldBox(ftyp);
  if (ftyp && !fileTypeBox) throw new Refused('ftyp not read');
  const b = movie.b;
  // QuickTime proper (brand 'qt  ', or no ftyp at all) writes handler names as Pascal strings.
  const quickTime =
    !fileTypeBox ||
    fileTypeBox.b.toString('latin1', fileTypeBox.box.body, fileTypeBox.box.body + 4) === 'qt  ';

  const moovKids = children(b, movie.box);
  const traks = moovKids.filter((c) => c.type === 'trak');
  if (traks.length > MAX_MEDIA_TRACKS) throw new LimitExceeded('MEDIA_TOO_MANY_TRACKS');
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
  const scale = movieTimescale(mvhd);
  if (scale > 0 && duration / scale > MAX_MEDIA_SECONDS) throw new LimitExceeded('MEDIA_TOO_LONG');
  setMovieDuration(mvhd, duration);

  const media = placeChunks(tables, mdats);
  found.unused += mediaBytes - media.payload;
  const mdatHead = mdatHeader(media.payload);
  const ftypOut = fileTypeBox ? fileType(fileTypeBox.b, fileTypeBox.box) : Buffer.alloc(0);
  const moovNode = box('moov', mvhd, ...trakNodes);
  // Chunk offsets go in 32-bit stco tables unless the output passes 4 GiB; then all in co64.
  const layout = (): number => {
    const base = ftypOut.length + sizeOf(moovNode) + mdatHead.length;
    for (const t of tables)
      t.chunks.forEach((c, i) => (t.table.offsets[i] = base + media.at.get(c)!));
    return base + media.payload;
  };
  let size = layout();
  if (size > 0xffffffff) {
    for (const t of tables) t.table.wide = true;
    size = layout();
  }
  return {
    head: Buffer.concat([ftypOut, serialise(moovNode), mdatHead]),
    ranges: media.ranges,
    size,
    removed: describe(found, droppedTracks, datesSet),
  };
}

interface Placement {
  ranges: Range[];
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

/** mvhd's time units per second (0 when unreadable). */
function movieTimescale(mvhd: Buffer): number {
  const at = 8 + (mvhd[8] === 1 ? 20 : 12);
  return at + 4 <= mvhd.length ? mvhd.readUInt32BE(at) : 0;
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
