import { readBoxes, type Box, type TopBox } from './boxes';
import { VideoInspection } from './inspect';
import { TopLevelScanner } from './scan';
import { videoSamples, type VideoSamples } from './video';
import { Refused } from '../remux';

// The streamed MP4-family output re-read as it is written, by a parser that trusts nothing the
// planner decided; what it allows and why: MEDIA.md.

const TREE: Record<string, ReadonlySet<string>> = {
  moov: new Set(['mvhd', 'trak']),
  trak: new Set(['tkhd', 'edts', 'tapt', 'mdia']),
  edts: new Set(['elst']),
  tapt: new Set(['clef', 'prof', 'enof']),
  mdia: new Set(['mdhd', 'hdlr', 'minf']),
  minf: new Set(['vmhd', 'smhd', 'hdlr', 'dinf', 'stbl']),
  dinf: new Set(['dref']),
  stbl: new Set([
    ...['stsd', 'stts', 'ctts', 'cslg', 'stss', 'stps', 'sdtp', 'sgpd', 'sbgp', 'subs', 'padb'],
    ...['stsh', 'stsc', 'stsz', 'stco', 'co64'],
  ]),
};
const SKELETON_MEDIA = 1024 * 1024;
const DATED = new Set(['mvhd', 'tkhd', 'mdhd']);
const HANDLER_NAMES = ['SoundHandler', 'VideoHandler', 'DataHandler', 'Handler'];
// Boxes that carry tags wherever they sit; looked for among a sample description's children.
const TAG_BOXES = new Set(['udta', 'meta', 'ilst', 'keys', 'uuid', 'XMP_', 'loci', 'xml ', 'ID32']);

export interface OutputVerdict {
  /** Names of what should not be there (structure only, never a value). */
  leftover: string[];
  /** ftyp, moov and the mdat's start, for exiftool; null when the structure is already wrong. */
  skeleton: Buffer | null;
  /** What exiftool may say of the skeleton besides STRUCTURAL: audio tracks' cut-off warnings. */
  skeletonAllowed: RegExp[];
}

export class IsoBmffOutputCheck {
  private readonly scanner: TopLevelScanner;
  private broken: string | null = null;
  private at = 0;
  private video: { samples: VideoSamples; inspection: VideoInspection } | null = null;

  constructor(size: number) {
    this.scanner = new TopLevelScanner(size, (type, boxSize, left) => {
      if (type === 'mdat') return SKELETON_MEDIA + 16;
      if (type !== 'ftyp' && type !== 'moov') return 0;
      if (boxSize > left) throw new Refused(`${type} too large to check`);
      return boxSize;
    });
  }

  push(chunk: Buffer): void {
    if (this.broken !== null) return;
    try {
      this.scanner.push(chunk);
      if (this.video === null) this.startInspection();
      this.video?.inspection.push(chunk, this.at);
      this.at += chunk.length;
    } catch (e) {
      this.broken = e instanceof Refused ? e.message : 'unreadable output';
    }
  }

  /** Once the moov has been read whole, its video samples are known: inspected from then on. */
  private startInspection(): void {
    const moov = this.scanner.closed.find((t) => t.type === 'moov');
    if (!moov) return;
    const samples = videoSamples(moov.bytes!);
    this.video = { samples, inspection: new VideoInspection(samples, moov.bytes!, moov.end + 8) };
  }

  finish(): OutputVerdict {
    const failed = (leftover: string): OutputVerdict => ({
      leftover: [leftover],
      skeleton: null,
      skeletonAllowed: [],
    });
    if (this.broken !== null) return failed(`output: ${this.broken}`);
    let tops;
    try {
      tops = this.scanner.finish();
    } catch {
      return failed('output: truncated');
    }
    const types = tops.map((t) => t.type).join(',');
    if (types !== 'ftyp,moov,mdat' && types !== 'moov,mdat') {
      return failed(`top-level boxes ${JSON.stringify(types)}`);
    }
    const mdat = tops[tops.length - 1]!;
    const held = tops.slice(0, -1).map((t) => t.bytes!);
    const leftover: string[] = [];
    const moov = held[held.length - 1]!;
    let tracks = 0;
    try {
      const root = readBoxes(moov, 0, moov.length)[0]!;
      checkTree(moov, root, 'moov', leftover);
      tracks = readBoxes(moov, root.body, root.end).filter((c) => c.type === 'trak').length;
    } catch {
      leftover.push('moov: unreadable');
    }
    const { samples, inspection } = this.video!;
    const found = inspection.finish();
    if (found !== null) leftover.push(found);
    const prefix = mediaPrefix(mdat);
    const skeletonMoov = withoutCutSamples(moov, samples, mdat.start + prefix.length);
    const audio = Array.from({ length: tracks }, (_, i) => i + 1).filter(
      (n) => !samples.numbers.includes(n),
    );
    return {
      leftover,
      skeleton: Buffer.concat([...held.slice(0, -1), skeletonMoov, prefix]),
      skeletonAllowed: audio.map((n) => new RegExp(`^ExifTool:Track${n}:Warning$`)),
    };
  }
}

/**
 * The mdat cut to its first bytes, its header (same form, so moov's chunk offsets still hold)
 * saying so: exiftool -ee3 reads the video samples that lie in it (cameras put SEI user data
 * in the first ones).
 */
function mediaPrefix(mdat: TopBox): Buffer {
  const bytes = mdat.bytes!;
  const header = Buffer.from(bytes.subarray(0, mdat.body - mdat.start));
  const payload = bytes.length - header.length;
  if (header.length === 16) header.writeBigUInt64BE(BigInt(16 + payload), 8);
  else header.writeUInt32BE(8 + payload, 0);
  return Buffer.concat([header, bytes.subarray(header.length)]);
}

/**
 * A copy of the moov in which every video sample not wholly before `end` (where the skeleton
 * stops) has size 0: exiftool reads nothing of it and has nothing cut off to warn about.
 * Those samples were read by the inspection instead.
 */
function withoutCutSamples(moov: Buffer, samples: VideoSamples, end: number): Buffer {
  const copy = Buffer.from(moov);
  for (let i = 0; i < samples.starts.length; i++) {
    if (samples.starts[i]! + samples.sizes[i]! > end) copy.writeUInt32BE(0, samples.sizeAt[i]!);
  }
  return copy;
}

function checkTree(b: Buffer, box: Box, path: string, leftover: string[]): void {
  const allowed = TREE[box.type]!;
  let handler: string | null = null;
  for (const c of readBoxes(b, box.body, box.end)) {
    const at = `${path}/${c.type}`;
    if (!allowed.has(c.type)) {
      leftover.push(at);
      continue;
    }
    if (TREE[c.type]) checkTree(b, c, at, leftover);
    else if (DATED.has(c.type)) checkDates(b, c, at, leftover);
    else if (c.type === 'hdlr') {
      handler = b.toString('latin1', c.body + 8, c.body + 12);
      if (!fixedHandlerName(b, c)) leftover.push(`${at} name`);
    } else if (c.type === 'dref') checkDataReferences(b, c, at, leftover);
    else if (c.type === 'stsd') checkSampleDescriptions(b, c, at, leftover);
  }
  if (box.type === 'mdia' && handler !== 'soun' && handler !== 'vide') {
    leftover.push(`${path} track that is not audio or video`);
  }
}

function checkDates(b: Buffer, c: Box, at: string, leftover: string[]): void {
  const width = b[c.body] === 1 ? 16 : 8;
  if (b.subarray(c.body + 4, c.body + 4 + width).some((x) => x !== 0)) leftover.push(`${at} dates`);
}

/** What isobmff/track.ts writes: a fixed name, as a C string or a Pascal string. */
function fixedHandlerName(b: Buffer, hdlr: Box): boolean {
  const text = b.subarray(hdlr.body + 24, hdlr.end);
  return HANDLER_NAMES.some((name) => {
    const n = Buffer.from(name, 'latin1');
    return (
      text.equals(Buffer.concat([n, Buffer.from([0])])) ||
      text.equals(Buffer.concat([Buffer.from([n.length]), n]))
    );
  });
}

/** Only "in this file" entries: a 'url ' with flag 1 and no location string. */
function checkDataReferences(b: Buffer, dref: Box, at: string, leftover: string[]): void {
  for (const e of readBoxes(b, dref.body + 8, dref.end)) {
    if (e.type !== 'url ' || e.end - e.body !== 4 || b.readUInt32BE(e.body) !== 1) {
      leftover.push(`${at}/${e.type}`);
    }
  }
}

/**
 * Sample descriptions are codec configuration, copied; a box that holds tags among a
 * description's children is still caught. Children start after the fixed fields (86 bytes for
 * video; 36, 52 or 72 for sound by its version); a description whose tail does not parse as
 * boxes holds none.
 */
function checkSampleDescriptions(b: Buffer, stsd: Box, at: string, leftover: string[]): void {
  for (const e of readBoxes(b, stsd.body + 8, stsd.end)) {
    for (const first of [e.start + 86, e.start + 36, e.start + 52, e.start + 72]) {
      if (first > e.end) continue;
      let kids: Box[];
      try {
        kids = readBoxes(b, first, e.end);
      } catch {
        continue;
      }
      for (const k of kids) {
        if (TAG_BOXES.has(k.type) || k.type.startsWith('\xa9')) leftover.push(`${at}/${k.type}`);
      }
    }
  }
}
