// AVI/ASF headers and the transcoded MP4's moov, read in process: on ffmpeg-made files they say
// what ffprobe says; truncated, crafted and corrupted headers are Refused (then ffprobe reads the
// file), never another error; what they say still refuses bombs and lets odd files through.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sanitiseFile } from '../../../worker/sanitise';
import { withFfmpeg } from '../../../worker/sanitise/media/ffmpeg-remux';
import { CONTAINERS } from '../../../worker/sanitise/media/formats';
import { MAX_MEDIA_TRACKS } from '../../../worker/sanitise/limits';
import {
  describe as removedBy,
  durationOf,
  type Probe,
} from '../../../worker/sanitise/media/ffprobe';
import { asfHeaders } from '../../../worker/sanitise/media/headers/asf';
import { aviHeaders } from '../../../worker/sanitise/media/headers/avi';
import { movieLength } from '../../../worker/sanitise/media/isobmff/duration';
import { Refused } from '../../../worker/sanitise/media/remux';
import { ffmpegTo, MEDIA_PLANTED } from '../../fixtures/make-media';
import { sanitiseTestDirs } from '../../fixtures/make-sanitise-context';

jest.setTimeout(120_000);
const dirs = sanitiseTestDirs();
const TAGS = [
  '-metadata',
  `artist=${MEDIA_PLANTED.artist}`,
  '-metadata',
  `title=${MEDIA_PLANTED.title}`,
];
const VIDEO = ['-f', 'lavfi', '-i', 'testsrc=size=96x64:rate=15:duration=2.4'];
const TONE = ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2.3'];

const FILES: [string, string[]][] = [
  ['mpeg4-mp3.avi', [...VIDEO, ...TONE, '-c:v', 'mpeg4', '-c:a', 'mp3', ...TAGS]],
  ['mjpeg-pcm.avi', [...VIDEO, ...TONE, '-c:v', 'mjpeg', '-c:a', 'pcm_s16le', ...TAGS]],
  ['h264-aac.avi', [...VIDEO, ...TONE, '-c:v', 'libx264', '-c:a', 'aac']],
  ['video.avi', [...VIDEO, '-c:v', 'mpeg4']],
  ['audio.avi', [...TONE, '-c:a', 'mp3', ...TAGS]],
  ['wmv2.wmv', [...VIDEO, ...TONE, '-c:v', 'wmv2', '-c:a', 'wmav2', ...TAGS]],
  ['msmpeg4.wmv', [...VIDEO, ...TONE, '-c:v', 'msmpeg4', '-c:a', 'wmav1']],
  ['audio.wma', [...TONE, '-c:a', 'wmav2', ...TAGS]],
];

const made = new Map<string, Buffer>();
const file = (name: string): Buffer => {
  const args = FILES.find(([n]) => n === name)![1];
  if (!made.has(name)) made.set(name, ffmpegTo(dirs.fixtures, name, args));
  return made.get(name)!;
};
const headers = (name: string, b: Buffer): Probe =>
  name.endsWith('.avi') ? aviHeaders(b) : asfHeaders(b);

function ffprobe(path: string, chapters = false): Probe {
  const what = ['-show_format', '-show_streams', ...(chapters ? ['-show_chapters'] : [])];
  const out = execFileSync('ffprobe', ['-v', 'error', ...what, '-of', 'json', path]);
  return JSON.parse(out.toString()) as Probe;
}

/** Every outcome of reading `b` is headers or Refused. */
function refusedOrRead(name: string, b: Buffer): 'read' | 'refused' {
  try {
    headers(name, b);
    return 'read';
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    return 'refused';
  }
}

test.each(FILES.map(([n]) => n))('%s: streams and length as ffprobe reads them', (name) => {
  const b = file(name);
  const ours = headers(name, b);
  const theirs = ffprobe(join(dirs.fixtures, name));
  const kinds = (p: Probe) => (p.streams ?? []).map((s) => s.codec_type).sort();
  expect(kinds(ours)).toEqual(kinds(theirs));
  expect(Math.abs(durationOf(ours)! - durationOf(theirs)!)).toBeLessThan(0.1);
  const tagged = FILES.find(([n]) => n === name)![1].includes(TAGS[1]!);
  if (tagged) expect(Object.keys(ours.format?.tags ?? {}).length).toBeGreaterThanOrEqual(2);
  // Names only: no value from the file is kept.
  expect(Object.values(ours.format?.tags ?? {}).every((v) => v === '')).toBe(true);
});

test.each(FILES.map(([n]) => n))('%s cut short anywhere: headers or Refused', (name) => {
  const b = file(name);
  const step = Math.max(1, Math.floor(b.length / 400));
  const seen = new Set<string>();
  for (let n = 0; n < Math.min(b.length, 4096); n++)
    seen.add(refusedOrRead(name, b.subarray(0, n)));
  for (let n = 4096; n < b.length; n += step) seen.add(refusedOrRead(name, b.subarray(0, n)));
  expect(seen.has('refused')).toBe(true);
});

test.each(FILES.map(([n]) => n))('%s with header bytes corrupted: headers or Refused', (name) => {
  const b = file(name);
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 3000; i++) {
    const c = Buffer.from(b);
    for (let k = 0; k < 4; k++)
      c[Math.floor(random() * Math.min(c.length, 2048))] = Math.floor(random() * 256);
    refusedOrRead(name, c);
  }
});

const HEADER = '75B22630-668E-11CF-A6D9-00AA0062CE6C';
const EXTENSION = '5FBF03B5-A92E-11CF-8EE3-00C00C205365';
const EXT_STREAM = '14E6A5CB-C672-4332-8399-A96952065B5A';
const FILE_PROPERTIES = '8CABDCA1-A947-11CF-8EE4-00C00C205365';

function guidBytes(text: string): Buffer {
  const h = Buffer.from(text.replace(/-/g, ''), 'hex');
  return Buffer.concat([
    h.subarray(0, 4).reverse(),
    h.subarray(4, 6).reverse(),
    h.subarray(6, 8).reverse(),
    h.subarray(8),
  ]);
}
function asfObject(guid: string, body: Buffer): Buffer {
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(24 + body.length));
  return Buffer.concat([guidBytes(guid), size, body]);
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

function riff(id: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(id, 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body, body.length & 1 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}
const list = (kind: string, ...parts: Buffer[]) =>
  riff('LIST', Buffer.concat([Buffer.from(kind, 'latin1'), ...parts]));
function strh(type: string, scale: number, rate: number, length: number): Buffer {
  const b = Buffer.alloc(56);
  b.write(type, 0, 'latin1');
  b.writeUInt32LE(scale, 20);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(length, 32);
  return riff('strh', b);
}
function avi(...parts: Buffer[]): Buffer {
  const b = riff('RIFF', Buffer.concat([Buffer.from('AVI ', 'latin1'), ...parts, list('movi')]));
  return b;
}

test('crafted AVI: nesting, chunk counts and stream types are bounded or Refused', () => {
  const stream = list('strl', strh('vids', 1, 10, 20));
  expect(durationOf(aviHeaders(avi(list('hdrl', stream))))).toBe(2);
  let deep = stream;
  for (let i = 0; i < 6; i++) deep = list('hdrl', deep);
  expect(() => aviHeaders(avi(deep))).toThrow('lists nested too deep');
  const junk = Array.from({ length: 5000 }, () => riff('JUNK', Buffer.alloc(0)));
  expect(() => aviHeaders(avi(list('hdrl', stream), ...junk))).toThrow('too many chunks');
  expect(() => aviHeaders(avi(list('hdrl', list('strl', strh('iavs', 1, 10, 20)))))).toThrow(
    'stream type',
  );
  expect(() => aviHeaders(avi(list('hdrl', list('strl', strh('vids', 1, 10, 0)))))).toThrow(
    'stream length',
  );
  expect(() => aviHeaders(avi(list('hdrl')))).toThrow(Refused);
  const noMovi = riff('RIFF', Buffer.concat([Buffer.from('AVI ', 'latin1'), list('hdrl', stream)]));
  expect(() => aviHeaders(noMovi)).toThrow('no media data list');
  // Every stream header counts, wherever it lies before the media data.
  const many = Array.from({ length: 20 }, () => stream);
  expect(aviHeaders(avi(list('hdrl', ...many))).streams).toHaveLength(20);
});

test('an AVI with more stream headers than the track limit: MEDIA_TOO_MANY_TRACKS', async () => {
  const streams = Array.from({ length: MAX_MEDIA_TRACKS + 1 }, () =>
    list('strl', strh('auds', 1, 10, 20)),
  );
  const result = await sanitiseFile(
    avi(list('hdrl', ...streams)),
    { name: 'x.avi', type: '' },
    dirs.ctx,
  );
  expect(result).toMatchObject({ status: 'unsanitised', reason: 'MEDIA_TOO_MANY_TRACKS' });
});

test('crafted ASF: object sizes and nesting are Refused', () => {
  const b = Buffer.from(file('wmv2.wmv'));
  const headerSize = Number(b.readBigUInt64LE(16));
  const tooLong = Buffer.from(b);
  tooLong.writeBigUInt64LE(BigInt(b.length + 1), 16);
  expect(() => asfHeaders(tooLong)).toThrow(Refused);
  const first = Buffer.from(b);
  first.writeBigUInt64LE(8n, 30 + 16); // the first object claims less than its own header
  expect(() => asfHeaders(first)).toThrow(Refused);
  const huge = Buffer.from(b);
  huge.writeBigUInt64LE(2n ** 63n, 30 + 16);
  expect(() => asfHeaders(huge)).toThrow(Refused);
  expect(() => asfHeaders(b.subarray(0, headerSize - 1))).toThrow(Refused);
  // A second File Properties Object (ffmpeg would give streams read before it the first's length).
  const at = b.indexOf(guidBytes(FILE_PROPERTIES));
  const properties = b.subarray(at, at + Number(b.readBigUInt64LE(at + 16)));
  const twice = Buffer.concat([b.subarray(0, headerSize), properties, b.subarray(headerSize)]);
  twice.writeBigUInt64LE(BigInt(headerSize + properties.length), 16);
  twice.writeUInt32LE(b.readUInt32LE(24) + 1, 24);
  expect(() => asfHeaders(twice)).toThrow('two file properties objects');
  // Extended stream properties inside extended stream properties: depth is bounded.
  let nested = asfObject(EXT_STREAM, Buffer.alloc(64));
  for (let i = 0; i < 4; i++)
    nested = asfObject(EXT_STREAM, Buffer.concat([Buffer.alloc(64), nested]));
  const extension = asfObject(
    EXTENSION,
    Buffer.concat([Buffer.alloc(18), u32(nested.length), nested]),
  );
  const deep = asfObject(HEADER, Buffer.concat([Buffer.alloc(6), extension]));
  expect(() => asfHeaders(deep)).toThrow('header objects nested too deep');
});

/** The File Properties Object's play duration (100 ns units) set to `seconds`. */
function patchAsf(b: Buffer, seconds: number, flags?: number): Buffer {
  const c = Buffer.from(b);
  const at = c.indexOf(guidBytes(FILE_PROPERTIES));
  c.writeBigUInt64LE(BigInt(seconds * 1e7), at + 64);
  if (flags !== undefined) c.writeUInt32LE(flags, at + 88);
  return c;
}

test('a WMV whose header claims 25 hours: MEDIA_TOO_LONG, from its headers', async () => {
  const lying = patchAsf(file('wmv2.wmv'), 25 * 3600);
  expect(durationOf(asfHeaders(lying))).toBeGreaterThan(24 * 3600);
  const result = await sanitiseFile(lying, { name: 'x.wmv', type: '' }, dirs.ctx);
  expect(result).toMatchObject({ status: 'unsanitised', reason: 'MEDIA_TOO_LONG' });
});

test('a broadcast WMV (no length in its header) is read by ffprobe and still cleaned', async () => {
  const b = file('wmv2.wmv');
  const broadcast = patchAsf(
    b,
    Number(b.readBigUInt64LE(b.indexOf(guidBytes(FILE_PROPERTIES)) + 64)) / 1e7,
    1,
  );
  expect(() => asfHeaders(broadcast)).toThrow(Refused);
  const result = await sanitiseFile(broadcast, { name: 'x.wmv', type: '' }, dirs.ctx);
  expect(result).toMatchObject({ status: 'clean', mime: 'video/mp4' });
});

test('the transcoded MP4 length read from its moov is what ffprobe reads', () => {
  for (const [name, args] of FILES) {
    const out = `${name}.mp4`;
    const mp4 = ffmpegTo(dirs.fixtures, out, [...args, '-c:v', 'libx264', '-c:a', 'aac']);
    const ours = movieLength(mp4);
    const theirs = ffprobe(join(dirs.fixtures, out));
    expect(Math.abs(ours.seconds - durationOf(theirs)!)).toBeLessThan(0.1);
    expect(ours.tracks).toBe((theirs.streams ?? []).length);
  }
});

/** The AVI with its `n`th stream header's length set to `length`. */
function patchAvi(b: Buffer, n: number, length: number): Buffer {
  const c = Buffer.from(b);
  let at = -1;
  for (let i = 0; i <= n; i++) at = c.indexOf('strh', at + 1, 'latin1');
  c.writeUInt32LE(length, at + 8 + 32);
  return c;
}

test('an AVI whose header claims 25 hours: MEDIA_TOO_LONG, from its headers', async () => {
  const lying = patchAvi(file('mpeg4-mp3.avi'), 0, 15 * 25 * 3600);
  expect(durationOf(aviHeaders(lying))).toBeGreaterThan(24 * 3600);
  const result = await sanitiseFile(lying, { name: 'x.avi', type: '' }, dirs.ctx);
  expect(result).toMatchObject({ status: 'unsanitised', reason: 'MEDIA_TOO_LONG' });
});

test('an AVI the header reader declines is read by ffprobe and still cleaned', async () => {
  // The audio stream's length left at 0, as a writer that streams may leave it.
  const unread = patchAvi(file('mpeg4-mp3.avi'), 1, 0);
  expect(() => aviHeaders(unread)).toThrow(Refused);
  const result = await sanitiseFile(unread, { name: 'x.avi', type: '' }, dirs.ctx);
  expect(result).toMatchObject({ status: 'clean', mime: 'video/mp4' });
});

test('an AVI whose header claims twice its length: DURATION_CHANGED, as ffprobe reads it too', async () => {
  const b = file('mpeg4-mp3.avi');
  const at = b.indexOf('strh', 0, 'latin1') + 8;
  const lying = patchAvi(b, 0, 2 * b.readUInt32LE(at + 32));
  const result = await sanitiseFile(lying, { name: 'x.avi', type: '' }, dirs.ctx);
  expect(result).toMatchObject({ status: 'unsanitised', reason: 'DURATION_CHANGED' });
});

test('a WMV with chapters (markers) and a second video stream: as ffprobe reads it', () => {
  const chapters = join(dirs.fixtures, 'chapters.txt');
  writeFileSync(chapters, ';FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1000\ntitle=c\n');
  file('wmv2.wmv');
  ffmpegTo(dirs.fixtures, 'picture.jpg', [
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=32x32',
    '-frames:v',
    '1',
  ]);
  const b = ffmpegTo(dirs.fixtures, 'marked.wmv', [
    ...['-i', join(dirs.fixtures, 'wmv2.wmv'), '-i', join(dirs.fixtures, 'picture.jpg')],
    ...['-i', chapters, '-map', '0', '-map', '1', '-map_chapters', '2', '-c', 'copy'],
  ]);
  const ours = asfHeaders(b);
  const theirs = ffprobe(join(dirs.fixtures, 'marked.wmv'), true);
  expect(ours.streams?.map((s) => s.codec_type)).toEqual(theirs.streams?.map((s) => s.codec_type));
  expect(ours.chapters).toHaveLength(theirs.chapters!.length);
  expect(ours.chapters!.length).toBeGreaterThan(0);
});

/** An 18-audio-stream file (over the track limit) in the given codecs. */
const many = (name: string, codecs: string[]): Buffer =>
  ffmpegTo(dirs.fixtures, name, [
    ...VIDEO,
    ...TONE,
    ...['-map', '0:v', ...Array.from({ length: 18 }, () => ['-map', '1:a']).flat(), ...codecs],
  ]);
const objectAt = (b: Buffer, guid: string, from = 0): Buffer => {
  const at = b.indexOf(guidBytes(guid), from);
  return b.subarray(at, at + Number(b.readBigUInt64LE(at + 16)));
};
/** The WMV with `extra` objects added at the end of its Header Object. */
function withHeaderObjects(b: Buffer, ...extra: Buffer[]): Buffer {
  const size = Number(b.readBigUInt64LE(16));
  const c = Buffer.concat([b.subarray(0, size), ...extra, b.subarray(size)]);
  c.writeBigUInt64LE(BigInt(size + Buffer.concat(extra).length), 16);
  c.writeUInt32LE(b.readUInt32LE(24) + extra.length, 24);
  return c;
}
const STREAM_PROPERTIES = 'B7DC0791-A9B7-11CF-8EE6-00C00C205365';
const EXT_CONTENT = 'D2D0A440-E307-11D2-97F0-00A0C95EA850';

test('ASF objects past the Header Object, or past the extension’s own size, are Refused', async () => {
  const b = file('wmv2.wmv');
  const size = Number(b.readBigUInt64LE(16));
  // ffmpeg reads on to the Data Object: a stream put after the header's end is still a stream.
  const stream = objectAt(b, STREAM_PROPERTIES);
  const after = Buffer.concat([b.subarray(0, size), stream, b.subarray(size)]);
  expect(() => asfHeaders(after)).toThrow('data object');
  const extension = Buffer.from(b);
  const at = extension.indexOf(guidBytes(EXTENSION));
  extension.writeUInt32LE(extension.readUInt32LE(at + 42) - 24, at + 42);
  expect(() => asfHeaders(extension)).toThrow('header extension size');
  // Eighteen streams, sixteen of them after the header's end: ffprobe counts them all.
  const m = many('many.wmv', ['-c:v', 'wmv2', '-c:a', 'wmav2']);
  const ms = Number(m.readBigUInt64LE(16));
  const kept: Buffer[] = [];
  const moved: Buffer[] = [];
  for (let o = 30; o < ms; o += Number(m.readBigUInt64LE(o + 16))) {
    const object = m.subarray(o, o + Number(m.readBigUInt64LE(o + 16)));
    const isStream = object.subarray(0, 16).equals(guidBytes(STREAM_PROPERTIES));
    (isStream && kept.filter((k) => k.subarray(0, 16).equals(object.subarray(0, 16))).length >= 2
      ? moved
      : kept
    ).push(object);
  }
  const top = Buffer.from(m.subarray(0, 30));
  top.writeBigUInt64LE(BigInt(30 + Buffer.concat(kept).length), 16);
  top.writeUInt32LE(kept.length, 24);
  const hidden = Buffer.concat([top, ...kept, ...moved, m.subarray(ms)]);
  expect(moved.length).toBeGreaterThan(MAX_MEDIA_TRACKS - 2);
  expect(() => asfHeaders(hidden)).toThrow('data object');
  const result = await sanitiseFile(hidden, { name: 'x.wmv', type: '' }, dirs.ctx);
  expect(result).toMatchObject({ status: 'unsanitised', reason: 'MEDIA_TOO_MANY_TRACKS' });
});

test('ffmpeg itself refuses more streams than the limit, whatever a header reader said', async () => {
  // A reader misled into seeing one short stream: ffmpeg's own count still refuses the file.
  const misled = (): Probe => ({ format: { duration: '1' }, streams: [{ codec_type: 'audio' }] });
  const report = () => ({ format: 'ogg' as const, removed: [], kept: [] });
  const ogg = { ...CONTAINERS.ogg!, headers: misled };
  const tone = ['-f', 'lavfi', '-i', 'sine=duration=1'];
  const one = ffmpegTo(dirs.fixtures, 'one.ogg', [...tone, '-c:a', 'libvorbis']);
  const maps = Array.from({ length: MAX_MEDIA_TRACKS + 2 }, () => ['-map', '0:a']).flat();
  const m = ffmpegTo(dirs.fixtures, 'many.ogg', [...tone, ...maps, '-c:a', 'libvorbis']);
  expect(await withFfmpeg(m, ogg, dirs.ctx, report())).toMatchObject({
    status: 'unsanitised',
    reason: 'MEDIA_TOO_MANY_TRACKS',
  });
  expect((await withFfmpeg(one, ogg, dirs.ctx, report())).status).toBe('clean');
  const asf = { ...CONTAINERS.asf!, headers: misled };
  expect(
    await withFfmpeg(many('many2.wmv', ['-c:v', 'wmv2', '-c:a', 'wmav2']), asf, dirs.ctx, report()),
  ).toMatchObject({
    reason: 'MEDIA_TOO_MANY_TRACKS',
  });
  expect((await withFfmpeg(file('wmv2.wmv'), asf, dirs.ctx, report())).status).toBe('clean');
});

test('when lengths disagree, ffprobe’s reading of the input is held to the limits', async () => {
  // The header says 25 hours (ffprobe reads that too); a reader misled into reading 1 s.
  const lying = patchAsf(file('wmv2.wmv'), 25 * 3600);
  const misled = (): Probe => ({ format: { duration: '1' }, streams: [{ codec_type: 'video' }] });
  const asf = { ...CONTAINERS.asf!, headers: misled };
  const report = { format: 'asf' as const, removed: [], kept: [] };
  expect(await withFfmpeg(lying, asf, dirs.ctx, report)).toMatchObject({
    status: 'unsanitised',
    reason: 'MEDIA_TOO_LONG',
  });
});

test('AVI chunks that ffmpeg would read otherwise are Refused', async () => {
  const stream = list('strl', strh('auds', 1, 10, 20));
  // A chunk running past its list's end: ffmpeg, reading on from it, finds what the list hides.
  const over = list('hdrl', stream, riff('JUNK', Buffer.alloc(8)).subarray(0, 8));
  expect(() => aviHeaders(avi(over, Buffer.alloc(8), stream))).toThrow('chunk past its list');
  const gap = list('hdrl', stream, Buffer.alloc(4));
  expect(() => aviHeaders(avi(gap))).toThrow('list not filled by its chunks');
  const odd = riff('strh', Buffer.concat([strh('auds', 1, 10, 20).subarray(8), Buffer.alloc(1)]));
  expect(() => aviHeaders(avi(list('hdrl', list('strl', odd))))).toThrow('stream header size');
  // Eighteen streams, sixteen of them behind a chunk overrunning hdrl: ffprobe counts them all.
  const m = many('many.avi', ['-c:v', 'mpeg4', '-c:a', 'mp3']);
  const hdrlEnd = 20 + m.readUInt32LE(16);
  const strls: number[] = [];
  for (let o = 24; o + 8 <= hdrlEnd; o += 8 + m.readUInt32LE(o + 4) + (m.readUInt32LE(o + 4) & 1))
    if (m.toString('latin1', o + 8, o + 12) === 'strl') strls.push(o);
  const cut = strls[2]!;
  const fake = Buffer.concat([riff('JUNK', Buffer.alloc(8)).subarray(0, 8), Buffer.from('JUNK')]);
  const hiding = Buffer.concat([fake, u32(hdrlEnd - cut)]);
  const hdrl = Buffer.from(m.subarray(12, 24));
  hdrl.writeUInt32LE(4 + (cut - 24) + 8, 4);
  const parts = [m.subarray(0, 12), hdrl, m.subarray(24, cut), hiding, m.subarray(cut)];
  const hidden = Buffer.concat(parts);
  hidden.writeUInt32LE(hidden.length - 8, 4);
  expect(() => aviHeaders(hidden)).toThrow('chunk past its list');
  const result = await sanitiseFile(hidden, { name: 'x.avi', type: '' }, dirs.ctx);
  expect(result).toMatchObject({ status: 'unsanitised', reason: 'MEDIA_TOO_MANY_TRACKS' });
});

/** An Extended Content Description Object with one tag named by `name` (UTF-16 bytes). */
function contentTag(name: Buffer): Buffer {
  const n = Buffer.alloc(2);
  n.writeUInt16LE(name.length);
  return asfObject(EXT_CONTENT, Buffer.concat([Buffer.from([1, 0]), n, name, Buffer.alloc(4)]));
}

test('ASF tag names: read to their first NUL, and __proto__ is a name like any other', () => {
  const b = file('wmv2.wmv');
  const long = Buffer.from(`Long${'\0'.repeat(32_000)}x`, 'utf16le');
  const names = Object.keys(asfHeaders(withHeaderObjects(b, contentTag(long))).format!.tags!);
  expect(names).toContain('Long');
  expect(names.every((n) => n.length < 64)).toBe(true);
  const proto = withHeaderObjects(b, contentTag(Buffer.from('__proto__', 'utf16le')));
  const read = asfHeaders(proto);
  expect(Object.keys(read.format!.tags!)).toContain('__proto__');
  const count = (p: Probe) => removedBy(p).find((r) => r.startsWith('container and stream tags'));
  expect(count(read)).not.toEqual(count(asfHeaders(b)));
});

test('an ASF preroll with its high bits set: only the low 32 are read, as by ffprobe', async () => {
  const b = Buffer.from(file('wmv2.wmv'));
  const at = b.indexOf(guidBytes(FILE_PROPERTIES));
  b.writeBigUInt64LE(b.readBigUInt64LE(at + 64) + 2n ** 32n * 10_000n, at + 64);
  b.writeUInt32LE(1, at + 84);
  const path = join(dirs.fixtures, 'preroll.wmv');
  writeFileSync(path, b);
  expect(Math.abs(durationOf(asfHeaders(b))! - durationOf(ffprobe(path))!)).toBeLessThan(0.1);
  const result = await sanitiseFile(b, { name: 'x.wmv', type: '' }, dirs.ctx);
  expect(result).toMatchObject({ status: 'unsanitised', reason: 'MEDIA_TOO_LONG' });
});
