import {
  box,
  children,
  raw,
  readUint,
  versionOf,
  type Box,
  type OffsetTable,
  type Out,
} from './boxes';
import { Refused } from '../remux';

// One track of an MP4/MOV/3GP: kept if audio or video, rebuilt from an allowlist of the boxes a
// player needs; a structure outside it refuses the whole file (ffmpeg then takes it).

export interface Chunk {
  offset: number;
  size: number;
}

export type TrackOutcome =
  | {
      kept: true;
      node: Out;
      table: OffsetTable;
      chunks: Chunk[];
      duration: number;
      datesSet: boolean;
      encoderName: boolean;
    }
  | { kept: false; kind: 'subtitle' | 'timecode' | 'data' | 'chapter' };

/** Copies a full box with its creation and modification times set to zero. */
export function zeroDates(b: Buffer, bx: Box): { out: Buffer; wasSet: boolean } {
  const out = Buffer.from(raw(b, bx));
  const at = bx.body - bx.start + 4;
  const width = versionOf(b, bx) === 1 ? 16 : 8;
  if (at + width > out.length) throw new Refused('header box too short');
  const wasSet = out.subarray(at, at + width).some((x) => x !== 0);
  out.fill(0, at, at + width);
  return { out, wasSet };
}

/** tkhd: track id and duration (movie timescale). */
export function trackHeader(b: Buffer, tkhd: Box): { id: number; duration: number } {
  const v1 = versionOf(b, tkhd) === 1;
  const at = tkhd.body + (v1 ? 20 : 12);
  if (at + (v1 ? 16 : 12) > tkhd.end) throw new Refused('tkhd too short');
  return { id: b.readUInt32BE(at), duration: readUint(b, at + 8, v1) };
}

const HANDLER_NAMES: Record<string, string> = {
  soun: 'SoundHandler',
  vide: 'VideoHandler',
  url: 'DataHandler',
  alis: 'DataHandler',
};

/** hdlr with a fixed name (a Pascal string in QuickTime, a C string in ISO files). */
function cleanHandler(b: Buffer, hdlr: Box, quickTime: boolean): Out {
  if (hdlr.body + 24 > hdlr.end) throw new Refused('hdlr too short');
  const type = b.toString('latin1', hdlr.body + 8, hdlr.body + 12);
  const name = Buffer.from(HANDLER_NAMES[type.trim()] ?? 'Handler', 'latin1');
  const head = Buffer.alloc(24);
  b.copy(head, 0, hdlr.body, hdlr.body + 12); // version, flags, component type, handler type
  const text = quickTime
    ? Buffer.concat([Buffer.from([name.length]), name])
    : Buffer.concat([name, Buffer.from([0])]);
  return box('hdlr', head, text);
}

const ENCRYPTED = new Set(['encv', 'enca', 'enct', 'encs', 'drms', 'drmi', 'drmt']);

/** stsd with vendor codes and (video) compressor names blanked. */
function cleanSampleDescriptions(
  b: Buffer,
  stsd: Box,
  handler: string,
): { out: Buffer; named: boolean } {
  const out = Buffer.from(raw(b, stsd));
  const base = stsd.body - stsd.start;
  const count = out.readUInt32BE(base + 4);
  let named = false;
  let o = base + 8;
  for (let i = 0; i < count; i++) {
    if (o + 8 > out.length) throw new Refused('sample description past stsd');
    const size = out.readUInt32BE(o);
    const type = out.toString('latin1', o + 4, o + 8);
    if (ENCRYPTED.has(type)) throw new Refused('encrypted samples');
    if (size < (handler === 'vide' ? 86 : 36) || o + size > out.length) {
      throw new Refused('sample description size');
    }
    out.fill(0, o + 20, o + 24); // vendor ('appl', 'FFMP', …)
    if (handler === 'vide') {
      // Compressor name: a Pascal string that encoders and cameras fill with their own name.
      named ||= out[o + 50] !== 0;
      out.fill(0, o + 50, o + 82);
    }
    o += size;
  }
  return { out, named };
}

const PLAIN_SAMPLE_TABLE = new Set([
  ...['stts', 'ctts', 'cslg', 'stss', 'stps', 'sdtp', 'sgpd', 'sbgp', 'subs', 'padb', 'stsh'],
]);

interface SampleTable {
  node: Out;
  table: OffsetTable;
  chunks: Chunk[];
  named: boolean;
}

function sampleTable(b: Buffer, stbl: Box, handler: string): SampleTable {
  const parts: Out[] = [];
  let offsets: number[] | undefined;
  let stsc: Box | undefined;
  let stsz: Box | undefined;
  let named = false;
  const table: OffsetTable = { offsets: [], wide: false };
  for (const c of children(b, stbl)) {
    if (c.type === 'stsd') {
      const cleaned = cleanSampleDescriptions(b, c, handler);
      named = cleaned.named;
      parts.push(cleaned.out);
    } else if (PLAIN_SAMPLE_TABLE.has(c.type)) {
      parts.push(raw(b, c));
    } else if (c.type === 'stsc' || c.type === 'stsz') {
      if (c.type === 'stsc') stsc = c;
      else stsz = c;
      parts.push(raw(b, c));
    } else if (c.type === 'stco' || c.type === 'co64') {
      if (offsets) throw new Refused('two chunk offset tables');
      const n = b.readUInt32BE(c.body + 4);
      const width = c.type === 'co64' ? 8 : 4;
      if (c.body + 8 + n * width > c.end) throw new Refused('chunk offset table size');
      offsets = Array.from({ length: n }, (_, i) =>
        readUint(b, c.body + 8 + i * width, width === 8),
      );
      parts.push(table);
    } else {
      throw new Refused('unsupported sample table box');
    }
  }
  if (!offsets || !stsc || !stsz) throw new Refused('incomplete sample table');
  table.offsets = offsets.slice();
  return { node: box('stbl', ...parts), table, chunks: chunkSizes(b, stsc, stsz, offsets), named };
}

/** Each chunk's byte range, from the sample-to-chunk map and the sample sizes. */
function chunkSizes(b: Buffer, stsc: Box, stsz: Box, offsets: number[]): Chunk[] {
  const runs = b.readUInt32BE(stsc.body + 4);
  if (stsc.body + 8 + runs * 12 > stsc.end) throw new Refused('stsc size');
  const fixed = b.readUInt32BE(stsz.body + 4);
  const samples = b.readUInt32BE(stsz.body + 8);
  if (fixed === 0 && stsz.body + 12 + samples * 4 > stsz.end) throw new Refused('stsz size');
  const chunks: Chunk[] = [];
  let sample = 0;
  for (let r = 0; r < runs; r++) {
    const first = b.readUInt32BE(stsc.body + 8 + r * 12);
    const perChunk = b.readUInt32BE(stsc.body + 12 + r * 12);
    const next = r + 1 < runs ? b.readUInt32BE(stsc.body + 20 + r * 12) : offsets.length + 1;
    if (first !== chunks.length + 1 || next < first || next > offsets.length + 1) {
      throw new Refused('stsc runs');
    }
    for (let c = first; c < next; c++) {
      if (sample + perChunk > samples) throw new Refused('more samples in chunks than sizes');
      let size = fixed * perChunk;
      if (fixed === 0) {
        size = 0;
        for (let s = sample; s < sample + perChunk; s++)
          size += b.readUInt32BE(stsz.body + 12 + s * 4);
      }
      chunks.push({ offset: offsets[c - 1]!, size });
      sample += perChunk;
    }
  }
  if (chunks.length !== offsets.length || sample !== samples) throw new Refused('sample counts');
  return chunks;
}

function dataInformation(b: Buffer, dinf: Box): Out {
  const dref = children(b, dinf).find((c) => c.type === 'dref');
  if (!dref) throw new Refused('no dref');
  const entries = children(b, dref, 8);
  // Flag 1 means "the media data is in this file"; anything else points at another file.
  if (entries.some((e) => e.body + 4 > e.end || (b.readUInt32BE(e.body) & 1) === 0)) {
    throw new Refused('external data reference');
  }
  const count = Buffer.alloc(8);
  count.writeUInt32BE(entries.length, 4);
  const self = Buffer.from([0, 0, 0, 1]);
  return box('dinf', box('dref', count, ...entries.map(() => box('url ', self))));
}

const DROPPED_KIND: Record<string, 'subtitle' | 'timecode'> = {
  ...{ sbtl: 'subtitle', subt: 'subtitle', text: 'subtitle', clcp: 'subtitle' },
  tmcd: 'timecode',
};

export function processTrack(
  b: Buffer,
  trak: Box,
  opts: { quickTime: boolean; chapterTrack: boolean },
): TrackOutcome {
  const kids = children(b, trak);
  const tkhd = kids.find((c) => c.type === 'tkhd');
  const mdia = kids.find((c) => c.type === 'mdia');
  if (!tkhd || !mdia) throw new Refused('track without header or media');
  const mdiaKids = children(b, mdia);
  const hdlr = mdiaKids.find((c) => c.type === 'hdlr');
  if (!hdlr || hdlr.body + 12 > hdlr.end) throw new Refused('media without handler');
  const handler = b.toString('latin1', hdlr.body + 8, hdlr.body + 12);
  if (opts.chapterTrack) return { kept: false, kind: 'chapter' };
  if (handler !== 'soun' && handler !== 'vide') {
    return { kept: false, kind: DROPPED_KIND[handler] ?? 'data' };
  }
  let datesSet = false;
  const dated = (bx: Box): Buffer => {
    const z = zeroDates(b, bx);
    datesSet ||= z.wasSet;
    return z.out;
  };
  let stbl: SampleTable | undefined;
  const media: Out[] = [];
  for (const c of mdiaKids) {
    if (c.type === 'mdhd') media.push(dated(c));
    else if (c.type === 'hdlr') media.push(cleanHandler(b, c, opts.quickTime));
    else if (c.type === 'minf') {
      const info: Out[] = [];
      for (const m of children(b, c)) {
        if (m.type === 'vmhd' || m.type === 'smhd') info.push(raw(b, m));
        else if (m.type === 'hdlr') info.push(cleanHandler(b, m, opts.quickTime));
        else if (m.type === 'dinf') info.push(dataInformation(b, m));
        else if (m.type === 'stbl') {
          if (stbl) throw new Refused('two sample tables');
          stbl = sampleTable(b, m, handler);
          info.push(stbl.node);
        }
      }
      media.push(box('minf', ...info));
    }
  }
  if (!stbl) throw new Refused('track without sample table');
  const parts: Out[] = [];
  for (const c of kids) {
    if (c.type === 'tkhd') parts.push(dated(c));
    else if (c.type === 'edts') {
      parts.push(
        box(
          'edts',
          ...children(b, c)
            .filter((e) => e.type === 'elst')
            .map((e) => raw(b, e)),
        ),
      );
    } else if (c.type === 'tapt')
      parts.push(raw(b, c)); // QuickTime aperture dimensions
    else if (c.type === 'mdia') parts.push(box('mdia', ...media));
  }
  return {
    kept: true,
    node: box('trak', ...parts),
    table: stbl.table,
    chunks: stbl.chunks,
    duration: trackHeader(b, tkhd).duration,
    datesSet,
    encoderName: stbl.named,
  };
}
