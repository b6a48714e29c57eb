import { children, readBoxes, type Box } from './boxes';
import { Refused } from '../remux';

// Where every video sample of a written MP4-family output lies, read from its own moov; only
// H.264 and HEVC can be inspected, any other video codec is refused.

export type Codec = 'h264' | 'hevc';

const CODECS: Record<string, { codec: Codec; config: string }> = {
  avc1: { codec: 'h264', config: 'avcC' },
  avc3: { codec: 'h264', config: 'avcC' },
  hvc1: { codec: 'hevc', config: 'hvcC' },
  hev1: { codec: 'hevc', config: 'hvcC' },
};

export interface VideoTrack {
  codec: Codec;
  /** Bytes of the length in front of each NAL unit (from avcC/hvcC). */
  lengthSize: number;
}

/** NAL units an avcC or hvcC carries, as [16-bit length][unit]… runs (moov offsets). */
export interface NalRun {
  /** The video track (index into `tracks`) whose samples use these parameter sets. */
  track: number;
  codec: Codec;
  start: number;
  end: number;
}

export interface VideoSamples {
  tracks: VideoTrack[];
  /** Every video sample in ascending output order: offset, size, its track, its stsz entry. */
  starts: Float64Array;
  sizes: Uint32Array;
  track: Uint8Array;
  /** Offset in the moov of the sample's size in its stsz table. */
  sizeAt: Uint32Array;
  /** 1-based positions of the video tracks among the moov's traks (exiftool's TrackN). */
  numbers: number[];
  /** avcC and hvcC arrays (parameter sets, SEI), inspected like samples with 2-byte lengths. */
  configRuns: NalRun[];
}

/** Reads the video tracks of `moov` (a moov box from its header on). Throws Refused. */
export function videoSamples(moov: Buffer): VideoSamples {
  const root = readBoxes(moov, 0, moov.length)[0];
  if (!root || root.type !== 'moov') throw new Refused('no movie box');
  const tracks: VideoTrack[] = [];
  const numbers: number[] = [];
  const configRuns: NalRun[] = [];
  const perTrack: Ranges[] = [];
  let number = 0;
  for (const trak of children(moov, root).filter((c) => c.type === 'trak')) {
    number++;
    const mdia = find(moov, trak, 'mdia');
    const hdlr = find(moov, mdia, 'hdlr');
    if (moov.toString('latin1', hdlr.body + 8, hdlr.body + 12) !== 'vide') continue;
    const stbl = find(moov, find(moov, mdia, 'minf'), 'stbl');
    if (tracks.length === 255) throw new Refused('too many video tracks');
    tracks.push(describeCodec(moov, find(moov, stbl, 'stsd'), configRuns, tracks.length));
    numbers.push(number);
    perTrack.push(sampleRanges(moov, stbl));
  }
  return merge(tracks, numbers, configRuns, perTrack);
}

function find(b: Buffer, parent: Box, type: string): Box {
  const found = children(b, parent).find((c) => c.type === type);
  if (!found) throw new Refused(`no ${type}`);
  return found;
}

/** The track's codec and NAL length size; every sample description must agree. */
function describeCodec(b: Buffer, stsd: Box, configRuns: NalRun[], index: number): VideoTrack {
  let track: VideoTrack | null = null;
  for (const entry of readBoxes(b, stsd.body + 8, stsd.end)) {
    const known = CODECS[entry.type];
    if (!known) throw new Refused('video in a codec that cannot be inspected');
    if (entry.start + 86 > entry.end) throw new Refused('video sample description size');
    const config = readBoxes(b, entry.start + 86, entry.end).find((k) => k.type === known.config);
    if (!config) throw new Refused('video without its codec configuration');
    const at = config.body + (known.codec === 'h264' ? 4 : 21);
    if (at >= config.end) throw new Refused('codec configuration too short');
    const lengthSize = (b[at]! & 3) + 1;
    if (lengthSize === 3) throw new Refused('NAL length size');
    const arrays = known.codec === 'hevc' ? hevcArrays(b, config) : avcArrays(b, config);
    configRuns.push(
      ...arrays.map(({ start, end }) => ({ track: index, codec: known.codec, start, end })),
    );
    if (track && (track.codec !== known.codec || track.lengthSize !== lengthSize)) {
      throw new Refused('video sample descriptions differ');
    }
    track = { codec: known.codec, lengthSize };
  }
  if (!track) throw new Refused('video without a sample description');
  return track;
}

interface Range {
  start: number;
  end: number;
}

/** hvcC's arrays of NAL units (parameter sets, and possibly SEI): where each array's run is. */
function hevcArrays(b: Buffer, hvcC: Box): Range[] {
  const runs: Range[] = [];
  if (hvcC.body + 23 > hvcC.end) throw new Refused('hvcC too short');
  let o = hvcC.body + 23;
  for (let n = b[hvcC.body + 22]!; n > 0; n--) {
    if (o + 3 > hvcC.end) throw new Refused('hvcC array');
    const start = o + 3;
    let end = start;
    for (let units = b.readUInt16BE(o + 1); units > 0; units--) {
      if (end + 2 > hvcC.end) throw new Refused('hvcC array');
      end += 2 + b.readUInt16BE(end);
    }
    if (end > hvcC.end) throw new Refused('hvcC array');
    runs.push({ start, end });
    o = end;
  }
  return runs;
}

/**
 * avcC's runs of NAL units: sequence and picture parameter sets, and for the high profiles the
 * SPS extensions after the chroma and bit-depth bytes (when the muxer wrote them).
 */
function avcArrays(b: Buffer, avcC: Box): Range[] {
  const runs: Range[] = [];
  const run = (countAt: number, mask: number): number => {
    if (countAt >= avcC.end) throw new Refused('avcC array');
    const start = countAt + 1;
    let end = start;
    for (let units = b[countAt]! & mask; units > 0; units--) {
      if (end + 2 > avcC.end) throw new Refused('avcC array');
      end += 2 + b.readUInt16BE(end);
    }
    if (end > avcC.end) throw new Refused('avcC array');
    runs.push({ start, end });
    return end;
  };
  const afterPps = run(run(avcC.body + 5, 0x1f), 0xff);
  if ([100, 110, 122, 144].includes(b[avcC.body + 1]!) && afterPps + 4 <= avcC.end) {
    run(afterPps + 3, 0xff);
  }
  return runs;
}

interface Ranges {
  starts: Float64Array;
  sizes: Uint32Array;
  sizeAt: Uint32Array;
}

/** Each sample's offset and size, from the chunk offsets, sample-to-chunk map and sizes. */
function sampleRanges(b: Buffer, stbl: Box): Ranges {
  const stsz = find(b, stbl, 'stsz');
  const stsc = find(b, stbl, 'stsc');
  const table = children(b, stbl).find((c) => c.type === 'stco' || c.type === 'co64');
  if (!table) throw new Refused('no chunk offsets');
  const wide = table.type === 'co64';
  const chunks = b.readUInt32BE(table.body + 4);
  if (table.body + 8 + chunks * (wide ? 8 : 4) > table.end) throw new Refused('chunk offsets');
  if (b.readUInt32BE(stsz.body + 4) !== 0) throw new Refused('video sample sizes not listed');
  const samples = b.readUInt32BE(stsz.body + 8);
  if (stsz.body + 12 + samples * 4 > stsz.end) throw new Refused('stsz size');
  const runs = b.readUInt32BE(stsc.body + 4);
  if (stsc.body + 8 + runs * 12 > stsc.end) throw new Refused('stsc size');
  // As many entries as the stsz holds, which the moov's own size bounds.
  const out: Ranges = {
    ...{ starts: new Float64Array(samples), sizes: new Uint32Array(samples) },
    sizeAt: new Uint32Array(samples),
  };
  let i = 0;
  for (let r = 0; r < runs; r++) {
    const first = b.readUInt32BE(stsc.body + 8 + r * 12);
    const perChunk = b.readUInt32BE(stsc.body + 12 + r * 12);
    const next = r + 1 < runs ? b.readUInt32BE(stsc.body + 20 + r * 12) : chunks + 1;
    if (first < 1 || next < first || next > chunks + 1) throw new Refused('stsc runs');
    for (let c = first; c < next; c++) {
      let at = wide
        ? Number(b.readBigUInt64BE(table.body + 8 + (c - 1) * 8))
        : b.readUInt32BE(table.body + 8 + (c - 1) * 4);
      if (perChunk > samples - i) throw new Refused('more samples in chunks than sizes');
      for (let s = 0; s < perChunk; s++, i++) {
        out.sizeAt[i] = stsz.body + 12 + i * 4;
        out.sizes[i] = b.readUInt32BE(out.sizeAt[i]!);
        out.starts[i] = at;
        at += out.sizes[i]!;
      }
    }
  }
  if (i !== samples) throw new Refused('sample counts');
  return out;
}

/** All tracks' samples in one ascending order; samples that overlap are refused. */
function merge(
  tracks: VideoTrack[],
  numbers: number[],
  configRuns: NalRun[],
  perTrack: Ranges[],
): VideoSamples {
  const n = perTrack.reduce((sum, t) => sum + t.starts.length, 0);
  const all = {
    ...{ starts: new Float64Array(n), sizes: new Uint32Array(n), track: new Uint8Array(n) },
    sizeAt: new Uint32Array(n),
  };
  let k = 0;
  perTrack.forEach((t, which) => {
    all.starts.set(t.starts, k);
    all.sizes.set(t.sizes, k);
    all.sizeAt.set(t.sizeAt, k);
    all.track.fill(which, k, k + t.starts.length);
    k += t.starts.length;
  });
  let order: Uint32Array | null = null;
  for (let i = 1; i < n && order === null; i++) {
    if (all.starts[i]! < all.starts[i - 1]!) {
      order = Uint32Array.from({ length: n }, (_, j) => j).sort(
        (x, y) => all.starts[x]! - all.starts[y]!,
      );
    }
  }
  const v: VideoSamples =
    order === null
      ? { tracks, numbers, configRuns, ...all }
      : {
          ...{ tracks, numbers, configRuns },
          starts: all.starts.map((_, i) => all.starts[order[i]!]!),
          sizes: all.sizes.map((_, i) => all.sizes[order[i]!]!),
          track: all.track.map((_, i) => all.track[order[i]!]!),
          sizeAt: all.sizeAt.map((_, i) => all.sizeAt[order[i]!]!),
        };
  for (let i = 1; i < n; i++) {
    if (v.starts[i]! < v.starts[i - 1]! + v.sizes[i - 1]!) {
      throw new Refused('video samples overlapping');
    }
  }
  return v;
}
