import { readBoxes, type Box, type TopBox } from './isobmff.boxes';
import { TopLevelScanner } from './isobmff.scan';
import { Refused } from './remux';

// The rule "after every clean, re-read the output" for an MP4-family file written as a stream.
// A multi-gigabyte output cannot be handed whole to exiftool (its copy on tmpfs would be
// memory), so the output is re-read here as it is written, by a parser of its own that trusts
// nothing the planner decided:
// - top level: exactly [ftyp] moov mdat, the mdat running to the last byte. No uuid (XMP),
//   meta, udta, free space or anything after the media data.
// - inside moov, only an allowlist of boxes, each where a player expects it; tracks are audio or
//   video; movie, track and media dates are zero; handler names are the fixed ones we write;
//   data references point into the file and carry no name or location; inside sample
//   descriptions no box that holds tags (udta, meta, ilst, XMP, ©xyz …).
// The mdat payload is chunks the kept tracks point at, copied as they are: codec data, not
// boxes. What remains readable by a metadata tool is then ftyp and moov, so they are also
// handed to exiftool (media.stream.ts) as a skeleton: ftyp, moov and the first SKELETON_MEDIA
// bytes of the mdat (exiftool reads the first video samples for camera data in H.264 SEI).
// The moov and that prefix are held, within the scanner's budget: memory stays bounded.

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
  /** ftyp, moov and an empty mdat, for exiftool; null when the structure is already wrong. */
  skeleton: Buffer | null;
}

export class IsoBmffOutputCheck {
  private readonly scanner: TopLevelScanner;
  private broken: string | null = null;

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
    } catch (e) {
      this.broken = e instanceof Refused ? e.message : 'unreadable output';
    }
  }

  finish(): OutputVerdict {
    if (this.broken !== null) return { leftover: [`output: ${this.broken}`], skeleton: null };
    let tops;
    try {
      tops = this.scanner.finish();
    } catch {
      return { leftover: ['output: truncated'], skeleton: null };
    }
    const types = tops.map((t) => t.type).join(',');
    if (types !== 'ftyp,moov,mdat' && types !== 'moov,mdat') {
      return { leftover: [`top-level boxes ${JSON.stringify(types)}`], skeleton: null };
    }
    const mdat = tops[tops.length - 1]!;
    const held = tops.slice(0, -1).map((t) => t.bytes!);
    const leftover: string[] = [];
    const moov = held[held.length - 1]!;
    try {
      checkTree(moov, readBoxes(moov, 0, moov.length)[0]!, 'moov', leftover);
    } catch {
      leftover.push('moov: unreadable');
    }
    return { leftover, skeleton: Buffer.concat([...held, mediaPrefix(mdat)]) };
  }
}

/**
 * The mdat cut to its first bytes, its header (same form, so moov's chunk offsets still hold)
 * saying so: exiftool -ee3 reads the first video samples (cameras put SEI user data there).
 */
function mediaPrefix(mdat: TopBox): Buffer {
  const bytes = mdat.bytes!;
  const header = Buffer.from(bytes.subarray(0, mdat.body - mdat.start));
  const payload = bytes.length - header.length;
  if (header.length === 16) header.writeBigUInt64BE(BigInt(16 + payload), 8);
  else header.writeUInt32BE(8 + payload, 0);
  return Buffer.concat([header, bytes.subarray(header.length)]);
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

/** What isobmff.track.ts writes: a fixed name, as a C string or a Pascal string. */
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
