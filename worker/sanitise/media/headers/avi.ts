import { Refused } from '../remux';
import type { Probe } from '../ffprobe';

// An AVI's streams, length and tags, read from its RIFF chunks as ffmpeg's demuxer reads them
// (instead of an ffprobe start-up). Bounded; anything unexpected is Refused. See MEDIA.md.

const MAX_CHUNKS = 4_096;
const MAX_DEPTH = 4;

/** Stream headers' fccType, as ffmpeg's avi demuxer names them. */
const KINDS: Record<string, string> = {
  vids: 'video',
  auds: 'audio',
  txts: 'subtitle',
  dats: 'data',
};

/** Lists whose every chunk is a tag (INFO; Nikon's ncdt), and tags outside them. */
const TAG_LISTS = new Set(['INFO', 'ncdt']);
const TAG_CHUNKS = new Set(['IDIT', 'ISMP', 'strn']);

type Stream = NonNullable<Probe['streams']>[number];

export function aviHeaders(input: Buffer): Probe {
  if (input.length < 12 || input.toString('latin1', 0, 4) !== 'RIFF') throw new Refused('no RIFF');
  if (input.toString('latin1', 8, 12) !== 'AVI ') throw new Refused('not an AVI');
  // A recording cut short leaves a RIFF size past the end: read what is there, as ffmpeg does.
  const end = Math.min(input.length, 8 + input.readUInt32LE(4));
  const state = {
    chunks: 0,
    movi: false,
    streams: [] as Stream[],
    tags: Object.create(null) as Record<string, string>,
  };
  let current: Stream | null = null;

  /** Where the chunks from `from` end (past the last one's pad byte). */
  const walk = (from: number, to: number, depth: number, inInfo: boolean): number => {
    if (depth > MAX_DEPTH) throw new Refused('lists nested too deep');
    let o = from;
    while (o + 8 <= to) {
      if (++state.chunks > MAX_CHUNKS) throw new Refused('too many chunks');
      const id = input.toString('latin1', o, o + 4);
      const size = input.readUInt32LE(o + 4);
      const body = o + 8;
      const stop = Math.min(to, body + size);
      // A list cut short by the end of the file is read as far as it goes; any other chunk
      // running past its list's end would be read otherwise by ffmpeg (see MEDIA.md).
      if (body + size > to && to !== end) throw new Refused('chunk past its list');
      if (id === 'LIST') {
        if (size < 4 || body + 4 > to) throw new Refused('LIST size');
        const kind = input.toString('latin1', body, body + 4);
        // The media data is only passed over: its size alone says where the index is.
        if (kind === 'movi') state.movi = true;
        else {
          const next = walk(body + 4, stop, depth + 1, TAG_LISTS.has(kind));
          // ffmpeg reads on from its last chunk, not from the list's end: they must be one.
          if (stop === body + size && next !== body + size + (size & 1))
            throw new Refused('list not filled by its chunks');
        }
      } else if (inInfo || TAG_CHUNKS.has(id) || exifIn(input, id, body, stop)) {
        state.tags[id] = '';
        if (id === 'strn' && current) current.tags = { title: '' };
      } else if (id === 'strh' && !state.movi) {
        // ffmpeg reads 48 bytes of it and skips the rest without the pad byte.
        if (size < 48 || size & 1 || body + size > to) throw new Refused('stream header size');
        current = streamOf(input, body);
        state.streams.push(current);
      }
      o = body + size + (size & 1);
    }
    return o;
  };
  walk(12, end, 0, false);
  if (!state.movi) throw new Refused('no media data list');
  if (state.streams.length === 0) throw new Refused('no stream header');
  // A stream whose length its header leaves at 0 (a streaming writer's) is read by ffprobe.
  if (state.streams.some((s) => s.duration === undefined)) throw new Refused('stream length');
  const duration = Math.max(...state.streams.map((s) => Number(s.duration)));
  return { format: { duration: String(duration), tags: state.tags }, streams: state.streams };
}

/** A stream's extra data holding EXIF (Casio's 'AVIF' strd), which ffmpeg reads as tags. */
const exifIn = (b: Buffer, id: string, body: number, stop: number): boolean =>
  id === 'strd' && stop - body >= 4 && b.toString('latin1', body, body + 4) === 'AVIF';

function streamOf(b: Buffer, at: number): Stream {
  const type = b.toString('latin1', at, at + 4);
  // DV ('iavs', two streams in one), MIDI and the like: left to ffprobe.
  if (!Object.hasOwn(KINDS, type)) throw new Refused('stream type');
  const [scale, rate, length] = [
    b.readUInt32LE(at + 20),
    b.readUInt32LE(at + 24),
    b.readUInt32LE(at + 32),
  ];
  const seconds = scale > 0 && rate > 0 && length > 0 ? (length * scale) / rate : undefined;
  return {
    codec_type: KINDS[type],
    ...(seconds === undefined ? {} : { duration: String(seconds) }),
  };
}
