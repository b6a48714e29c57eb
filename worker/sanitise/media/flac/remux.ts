import { LimitExceeded, MAX_FLAC_METADATA_BLOCKS, MAX_MEDIA_SECONDS } from '../../limits';
import { refusal, Refused, type Remuxed } from '../remux';
import { checkFrames } from './frames';

// Native FLAC cleaning of a file held in memory: STREAMINFO and SEEKTABLE kept, every other
// metadata block dropped, the frames copied as they are once checked to be nothing but frames
// (frames.ts). What this declines, the caller hands to ffmpeg. See MEDIA.md.

const STREAMINFO = 0;
const SEEKTABLE = 3;
/** What each dropped block is called in the report (never its contents). */
const DROPPED: Record<number, string> = {
  1: 'padding',
  2: 'application data',
  4: 'Vorbis comments',
  5: 'cue sheet',
  6: 'embedded picture',
};

interface Block {
  type: number;
  start: number;
  end: number;
}

/** The metadata blocks after `fLaC`, up to where the frames start. */
function readBlocks(b: Buffer): { blocks: Block[]; audio: number } {
  const blocks: Block[] = [];
  let o = 4;
  for (;;) {
    if (blocks.length === MAX_FLAC_METADATA_BLOCKS)
      throw new Refused('too many FLAC metadata blocks');
    if (o + 4 > b.length) throw new Refused('FLAC metadata past the end');
    const last = (b[o]! & 0x80) !== 0;
    const type = b[o]! & 0x7f;
    const end = o + 4 + b.readUIntBE(o + 1, 3);
    if (type === 127) throw new Refused('forbidden FLAC metadata block type');
    if (end > b.length) throw new Refused('FLAC metadata past the end');
    blocks.push({ type, start: o, end });
    o = end;
    if (last) return { blocks, audio: o };
  }
}

/** STREAMINFO's largest frame size (0: unknown), its duration checked against the limit. */
function readStreamInfo(b: Buffer, info: Block | undefined): number {
  if (info?.type !== STREAMINFO || info.end - info.start !== 4 + 34) {
    throw new Refused('FLAC without a STREAMINFO block first');
  }
  const d = info.start + 4;
  const rate = b.readUIntBE(d + 10, 3) >> 4;
  const samples = (b[d + 13]! & 0x0f) * 2 ** 32 + b.readUInt32BE(d + 14);
  if (rate === 0) throw new Refused('FLAC sample rate 0');
  if (samples / rate > MAX_MEDIA_SECONDS) throw new LimitExceeded('MEDIA_TOO_LONG');
  return b.readUIntBE(d + 7, 3);
}

/** The report's list: each kind of dropped block once, with a count when there were several. */
function describe(dropped: number[]): string[] {
  const counts = new Map<string, number>();
  for (const t of dropped) {
    const name = DROPPED[t] ?? 'reserved metadata block';
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, n]) => (n > 1 ? `${name} (${n})` : name));
}

function remux(b: Buffer): Remuxed {
  if (b.toString('latin1', 0, 4) !== 'fLaC') {
    throw new Refused(
      b.toString('latin1', 0, 3) === 'ID3' ? 'ID3v2 tag before fLaC' : 'not a bare FLAC stream',
    );
  }
  const { blocks, audio } = readBlocks(b);
  const maxFrame = readStreamInfo(b, blocks[0]);
  const kept: Block[] = [blocks[0]!];
  const dropped: number[] = [];
  for (const block of blocks.slice(1)) {
    if (block.type === STREAMINFO) throw new Refused('second FLAC STREAMINFO block');
    if (block.type !== SEEKTABLE) dropped.push(block.type);
    else if (kept.length > 1) throw new Refused('second FLAC SEEKTABLE block');
    else if ((block.end - block.start - 4) % 18 !== 0)
      throw new Refused('malformed FLAC SEEKTABLE');
    else kept.push(block);
  }
  checkFrames(b, audio, maxFrame);
  const head = kept.map((k, i) => {
    const copy = Buffer.from(b.subarray(k.start, k.end));
    copy[0] = (i === kept.length - 1 ? 0x80 : 0) | k.type; // the last-block flag, set anew
    return copy;
  });
  const data = Buffer.concat([b.subarray(0, 4), ...head, b.subarray(audio)]);
  return { ok: true, data, removed: describe(dropped) };
}

export function remuxFlac(b: Buffer): Remuxed {
  try {
    return remux(b);
  } catch (e) {
    return refusal(e);
  }
}
