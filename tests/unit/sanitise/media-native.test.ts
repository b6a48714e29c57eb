import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sanitiseFile } from '../../../worker/sanitise';
import { remuxIsoBmff } from '../../../worker/sanitise/media/isobmff/remux';
import { crc16, remuxMp3 } from '../../../worker/sanitise/media/mp3/remux';
import type { Remuxed } from '../../../worker/sanitise/media/remux';
import type { SanitiseResult } from '../../../worker/sanitise/types';
import { ffmpegTo, makeM4a, makeMp3, MEDIA_PLANTED } from '../../fixtures/make-media';
import { jpegWithExif, PLANTED } from '../../fixtures/make-office';
import { dumpTags, sanitiseTestDirs, recoverable } from '../../fixtures/make-sanitise-context';

// The in-process remuxers (mp3/remux.ts, isobmff/remux.ts) on real files written by ffmpeg:
// planted values must be gone from the bytes and from exiftool's reading, the streams and
// duration must be what ffprobe saw before, and the audio/video packets must be bit-identical
// (ffmpeg's md5 of the stream copied out). What the native path refuses must still come out
// clean, through ffmpeg, with a note saying so.

const SUBTITLE = 'PLANTED-SUBTITLE';
const CHAPTER = 'PLANTED-CHAPTER';
const APE = 'PLANTED-APE-VALUE';
const LYRICS = 'PLANTED-LYRICS';
const planted = [
  ...[MEDIA_PLANTED.artist, MEDIA_PLANTED.title, MEDIA_PLANTED.comment, MEDIA_PLANTED.coverTitle],
  ...['37.5665', '126.978', '2024:03:01', '2024-03-01', PLANTED.exifArtist, PLANTED.exifSerial],
  ...[SUBTITLE, CHAPTER, APE, LYRICS, 'Lavf5'], // Lavc stays in AAC fill elements: codec level
];

const dirs = sanitiseTestDirs();

const ffmpeg = (out: string, args: string[]): Buffer => ffmpegTo(dirs.fixtures, out, args);

function onDisk(data: Buffer, name: string): string {
  const path = join(dirs.fixtures, name);
  writeFileSync(path, data);
  return path;
}

interface Probed {
  duration: number;
  streams: string[];
}

function ffprobe(data: Buffer, ext: string): Probed {
  const path = onDisk(data, `probe.${ext}`);
  const out = execFileSync('ffprobe', [
    ...['-v', 'error', '-show_format', '-show_streams', '-of', 'json', path],
  ]);
  const json = JSON.parse(out.toString()) as {
    format: { duration: string };
    streams: { codec_type: string; codec_name: string; disposition?: { attached_pic?: number } }[];
  };
  return {
    duration: Number(json.format.duration),
    // Cover art shows as a video stream holding one picture: it is not content.
    streams: json.streams
      .filter((s) => s.disposition?.attached_pic !== 1)
      .map((s) => `${s.codec_type}:${s.codec_name}`),
  };
}

/** ffmpeg's md5 of one stream kind's packets, copied out without decoding. */
function packetsMd5(data: Buffer, ext: string, kind: 'a' | 'v'): string {
  const path = onDisk(data, `md5.${ext}`);
  const args = ['-v', 'error', '-i', path, '-map', `0:${kind}:0`, '-c', 'copy', '-f', 'md5', '-'];
  return execFileSync('ffmpeg', args).toString().trim();
}

const TONE = ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2'];
const VIDEO = ['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10:duration=2'];

/** Runs the native remuxer and the whole sanitiser; both must agree and be clean. */
async function nativeClean(
  input: Buffer,
  ext: string,
  remux: (b: Buffer) => Remuxed,
): Promise<Extract<SanitiseResult, { status: 'clean' }>> {
  const before = await dumpTags(input, ext, dirs.ctx);
  expect(recoverable(input, planted, before.text).length).toBeGreaterThan(0);
  const native = remux(input);
  if (!native.ok) throw new Error(`native remux refused: ${native.why}`);
  const result = await sanitiseFile(input, { name: `a.${ext}`, type: '' }, dirs.ctx);
  if (result.status !== 'clean') throw new Error(`not clean: ${JSON.stringify(result.report)}`);
  expect(result.report.notes).toBeUndefined(); // no fallback
  expect(result.data.equals(native.data)).toBe(true);
  const after = await dumpTags(result.data, ext, dirs.ctx);
  expect(recoverable(result.data, planted, after.text)).toEqual([]);
  expect(readdirSync(dirs.ctx.tmpDir)).toEqual([]);
  return result;
}

function expectContentKept(input: Buffer, output: Buffer, ext: string, kinds: ('a' | 'v')[]): void {
  const [p0, p1] = [ffprobe(input, ext), ffprobe(output, ext)];
  expect(p1.streams).toEqual(p0.streams.filter((s) => /^(audio|video):/.test(s)));
  expect(p1.streams).toEqual(
    kinds.map((k) => expect.stringMatching(k === 'a' ? /^audio:/ : /^video:/)),
  );
  expect(Math.abs(p1.duration - p0.duration)).toBeLessThan(0.05);
  for (const k of kinds) expect(packetsMd5(output, ext, k)).toBe(packetsMd5(input, ext, k));
}

/** An APEv2 tag (footer only, as most taggers write it) holding one item. */
function apeTag(key: string, value: string): Buffer {
  const v = Buffer.from(value);
  const item = Buffer.concat([Buffer.alloc(8), Buffer.from(`${key}\0`), v]);
  item.writeUInt32LE(v.length, 0);
  const footer = Buffer.alloc(32);
  footer.write('APETAGEX', 0, 'latin1');
  footer.writeUInt32LE(2000, 8);
  footer.writeUInt32LE(item.length + 32, 12);
  footer.writeUInt32LE(1, 16);
  return Buffer.concat([item, footer]);
}

function lyrics3v2(text: string): Buffer {
  const body = `LYRICSBEGINLYR${String(text.length).padStart(5, '0')}${text}`;
  return Buffer.from(`${body}${String(body.length).padStart(6, '0')}LYRICS200`, 'latin1');
}

describe('MP3, native', () => {
  test('ID3v2 with cover art, Lyrics3, APE and ID3v1 gone; frames and Xing header kept', async () => {
    const tagged = await makeMp3(dirs.fixtures); // ID3v2.3 + cover (with EXIF) + ID3v1
    const input = Buffer.concat([
      tagged.subarray(0, -128),
      lyrics3v2(LYRICS),
      apeTag('Artist', APE),
      tagged.subarray(-128),
    ]);
    const result = await nativeClean(input, 'mp3', remuxMp3);
    expect(result.report.removed).toEqual([
      ...['ID3v2 tag (4 frames)', 'cover art', 'ID3v1 tag', 'APE tag', 'Lyrics3 tag'],
      'encoder version in the LAME header',
    ]);
    expect(result.report.kept).toContain(
      'Xing/LAME header (frame count, seek table, encoder delay and padding)',
    );
    // The Info frame is first, its encoder field cut to the family name.
    expect(result.data.indexOf('Info')).toBeLessThan(40);
    expect(result.data.subarray(0, 400).toString('latin1')).not.toMatch(/Lav[cf]\d|LAME\d/);
    // Compared with the file before Lyrics3 and APE were appended: ffmpeg's demuxer does not
    // know Lyrics3 and would count it into the last packet of `input`.
    expectContentKept(tagged, result.data, 'mp3', ['a']);
    // Decoded samples too: delay and padding from the LAME header are still honoured.
    const decoded = (d: Buffer): string =>
      execFileSync('ffmpeg', [
        '-v',
        'error',
        '-i',
        onDisk(d, 'dec.mp3'),
        '-map',
        '0:a',
        '-f',
        'md5',
        '-',
      ])
        .toString()
        .trim();
    expect(decoded(result.data)).toBe(decoded(tagged));
  });

  test('a LAME encoder version is cut to "LAME", its CRC still valid', async () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0xbb3d); // CRC-16/ARC check value
    const input = Buffer.from(await makeMp3(dirs.fixtures));
    // Make the Info frame LAME's own: version string, and the CRC as LAME computes it.
    const lame = input.indexOf('Lavc', 0, 'latin1');
    input.write('LAME3.100', lame, 'latin1');
    const frame = lame - 141; // mono MPEG-1: header 4, side info 17, Xing fields 120
    input.writeUInt16BE(crc16(input.subarray(frame, lame + 34)), lame + 34);
    const result = await nativeClean(input, 'mp3', remuxMp3);
    const out = result.data;
    const at = out.indexOf('LAME', 0, 'latin1');
    expect(out.subarray(at, at + 9)).toEqual(Buffer.from('LAME\0\0\0\0\0', 'latin1'));
    expect(out.readUInt16BE(at + 34)).toBe(crc16(out.subarray(0, at + 34)));
    const { text } = await dumpTags(out, 'mp3', dirs.ctx);
    expect(text).toContain('["MPEG:Encoder","LAME"]');
  });

  test('VBR, MPEG-2 stereo: Xing header found and kept', async () => {
    const input = ffmpeg('vbr.mp3', [
      ...[...TONE, '-ac', '2', '-ar', '22050', '-c:a', 'libmp3lame', '-q:a', '4'],
      ...['-metadata', `artist=${MEDIA_PLANTED.artist}`],
    ]);
    expect(input.includes('Xing')).toBe(true);
    const result = await nativeClean(input, 'mp3', remuxMp3);
    expect(result.report.removed).toEqual([
      'ID3v2 tag (2 frames)',
      'encoder version in the LAME header',
    ]);
    expectContentKept(input, result.data, 'mp3', ['a']);
  });

  test('ID3v2.4 without a Xing frame', async () => {
    const input = ffmpeg('v24.mp3', [
      ...TONE,
      ...['-c:a', 'libmp3lame', '-b:a', '32k', '-write_xing', '0', '-id3v2_version', '4'],
      ...['-metadata', `artist=${MEDIA_PLANTED.artist}`, '-metadata', `date=2024-03-01`],
    ]);
    const result = await nativeClean(input, 'mp3', remuxMp3);
    expect(result.report.removed).toEqual(['ID3v2 tag (3 frames)']);
    expect(result.data.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfb]));
    expectContentKept(input, result.data, 'mp3', ['a']);
  });

  test('bytes between frames that are not audio are dropped (ffmpeg would keep them)', async () => {
    const tagged = await makeMp3(dirs.fixtures);
    const frame = tagged.indexOf(Buffer.from([0xff, 0xfb]), Math.floor(tagged.length / 2));
    const junk = Buffer.from(`JUNK ${MEDIA_PLANTED.comment} \xff\xfb`, 'latin1');
    const input = Buffer.concat([tagged.subarray(0, frame), junk, tagged.subarray(frame)]);
    const result = await nativeClean(input, 'mp3', remuxMp3);
    expect(result.report.removed).toContain(`data between audio frames (${junk.length} bytes)`);
    expect(result.data.equals((remuxMp3(tagged) as { data: Buffer }).data)).toBe(true);
  });

  test('a truncated last frame is refused natively, then cleaned by ffmpeg', async () => {
    const tagged = await makeMp3(dirs.fixtures);
    // Cut into the last frame; the ID3v1 tag goes with it.
    const input = tagged.subarray(0, tagged.length - 128 - 50);
    expect(remuxMp3(input)).toEqual({ ok: false, why: 'truncated frame' });
    const result = await sanitiseFile(input, { name: 'a.mp3', type: '' }, dirs.ctx);
    if (result.status !== 'clean') throw new Error(JSON.stringify(result.report));
    expect(result.report.notes).toEqual([
      'native remux declined (truncated frame); remuxed with ffmpeg instead',
    ]);
    const after = await dumpTags(result.data, 'mp3', dirs.ctx);
    expect(recoverable(result.data, planted, after.text)).toEqual([]);
    expect(ffprobe(result.data, 'mp3').streams).toEqual(['audio:mp3']);
  });
});

describe('MP4 family, native', () => {
  test('M4A: keys location, dates and tags gone (makeM4a); unknown brands dropped', async () => {
    const input = await makeM4a(dirs.fixtures);
    // A compatible brand is four free bytes: one is overwritten with text.
    input.write('KIM!', input.indexOf('iso2', 0, 'latin1'), 'latin1');
    const result = await nativeClean(input, 'm4a', remuxIsoBmff);
    expect(result.report.removed).toEqual([
      'container and stream tags (7)',
      'location',
      'creation and modification dates',
    ]);
    expectContentKept(input, result.data, 'm4a', ['a']);
    const ftyp = result.data.subarray(0, result.data.readUInt32BE(0)).toString('latin1');
    expect(ftyp).toBe('\0\0\0\x18ftypM4A \0\0\0\0M4A isom');
  });

  test('M4A: 3GPP location (loci) in udta and cover art gone', async () => {
    const cover = onDisk(await jpegWithExif(), 'cover.jpg');
    const input = ffmpeg('xyz.m4a', [
      ...TONE,
      ...['-i', cover, '-map', '0:a', '-map', '1:v', '-c:a', 'aac', '-c:v', 'copy'],
      ...['-disposition:v', 'attached_pic', '-metadata', `location=${MEDIA_PLANTED.location}`],
      ...['-metadata', `artist=${MEDIA_PLANTED.artist}`],
    ]);
    expect(input.includes('loci') && input.includes('covr')).toBe(true);
    const result = await nativeClean(input, 'm4a', remuxIsoBmff);
    expect(result.report.removed).toEqual(
      expect.arrayContaining(['location', 'cover art', expect.stringMatching(/^container and/)]),
    );
    expectContentKept(input, result.data, 'm4a', ['a']);
  });

  test('M4A tagged by exiftool: XMP uuid, Keys GPS, UserData make, ItemList comment gone', async () => {
    const path = onDisk(await makeM4a(dirs.fixtures), 'exiftool.m4a');
    execFileSync(join(process.cwd(), 'node_modules/.bin/exiftool'), [
      ...['-q', '-overwrite_original', `-XMP-dc:Creator=${MEDIA_PLANTED.artist}`],
      ...['-Keys:GPSCoordinates=37.5665, 126.978', `-UserData:Make=${PLANTED.exifSerial}`],
      ...[`-ItemList:Comment=${MEDIA_PLANTED.comment}`, path],
    ]);
    const input = readFileSync(path);
    const result = await nativeClean(input, 'm4a', remuxIsoBmff);
    expect(result.report.removed).toEqual(expect.arrayContaining(['location', 'XMP']));
    expectContentKept(input, result.data, 'm4a', ['a']);
  });

  test.each([
    ['moov at the end (ffmpeg default)', []],
    ['moov in front (+faststart)', ['-movflags', '+faststart']],
  ])('MP4 video, %s: subtitle and chapter samples gone from mdat', async (_, flags) => {
    const chapters = onDisk(
      Buffer.from(
        `;FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1000\ntitle=${CHAPTER}\n`,
      ),
      'chapters.txt',
    );
    const srt = onDisk(Buffer.from(`1\n00:00:00,000 --> 00:00:01,000\n${SUBTITLE}\n`), 's.srt');
    const input = ffmpeg(`v${flags.length}.mp4`, [
      ...[...VIDEO, ...TONE, '-i', srt, '-i', chapters],
      ...['-map', '0', '-map', '1', '-map', '2', '-map_chapters', '3'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-c:s', 'mov_text'],
      ...[
        '-metadata',
        `location=${MEDIA_PLANTED.location}`,
        '-metadata',
        `title=${MEDIA_PLANTED.title}`,
      ],
      ...['-metadata', `creation_time=${MEDIA_PLANTED.created}`, ...flags],
    ]);
    expect(input.includes(SUBTITLE) && input.includes(CHAPTER)).toBe(true);
    const result = await nativeClean(input, 'mp4', remuxIsoBmff);
    expect(result.report.removed).toEqual([
      ...['container and stream tags (3)', 'location', 'chapters', 'subtitle streams (1)'],
      ...['creation and modification dates', 'encoder name in the video sample description'],
      'media data no kept track uses (49 bytes)', // the subtitle and chapter-title samples
    ]);
    expectContentKept(input, result.data, 'mp4', ['v', 'a']);
    // Always written with the moov in front.
    expect(result.data.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(result.data.indexOf('moov')).toBeLessThan(result.data.indexOf('mdat'));
  });

  /** HEVC from x265; `info` its settings SEI (build, CPU, options), off unless asked. */
  const hevc = (name: string, info: boolean): Buffer =>
    ffmpeg(name, [
      ...[...VIDEO, ...TONE, '-c:v', 'libx265', '-tag:v', 'hvc1'],
      ...['-x265-params', `log-level=none:info=${info ? 1 : 0}`],
      ...['-c:a', 'aac', '-metadata', `title=${MEDIA_PLANTED.title}`],
    ]);

  test('HEVC (as phones record): sample dependency flags (sdtp) are structure, not metadata', async () => {
    const input = hevc('hevc.mp4', false);
    expect(input.includes('x265 (build', 0, 'latin1')).toBe(false); // no settings SEI
    const result = await nativeClean(input, 'mp4', remuxIsoBmff);
    expect(result.report.removed).toContain('encoder name in the video sample description');
    expectContentKept(input, result.data, 'mp4', ['v', 'a']);
  });

  test("x265's settings SEI in the hvcC (build string, CPU features) holds the file back", async () => {
    const input = hevc('hevc-info.mp4', true);
    expect(input.includes('x265 (build', 0, 'latin1')).toBe(true);
    const result = await sanitiseFile(input, { name: 'a.mp4', type: '' }, dirs.ctx);
    expect(result).toMatchObject({ status: 'unsanitised', reason: 'VERIFY_FAILED' });
    expect(result.report.notes).toEqual([
      'native remux left codec configuration: SEI user data; remuxed with ffmpeg instead',
      'left after cleaning: codec configuration: SEI user data',
    ]);
  });

  test('MPEG-4 Part 2 video (user data its frames can carry, unread) is held back', async () => {
    const input = ffmpeg('mp4v.mov', [...VIDEO, '-c:v', 'mpeg4']);
    const result = await sanitiseFile(input, { name: 'a.mov', type: '' }, dirs.ctx);
    expect(result).toMatchObject({ status: 'unsanitised', reason: 'VERIFY_FAILED' });
    expect(result.report.notes).toEqual([
      'native remux left video: video in a codec that cannot be inspected; remuxed with ffmpeg instead',
      'left after cleaning: video: video in a codec that cannot be inspected',
    ]);
  });

  test('MOV: ©xyz location gone; QuickTime handler names (Pascal strings)', async () => {
    const input = ffmpeg('q.mov', [
      ...[...VIDEO, ...TONE, '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac'],
      ...['-metadata', `location=${MEDIA_PLANTED.location}`],
      ...[
        '-metadata',
        `artist=${MEDIA_PLANTED.artist}`,
        '-metadata',
        `comment=${MEDIA_PLANTED.comment}`,
      ],
    ]);
    expect(input.includes('\xa9xyz', 0, 'latin1')).toBe(true);
    const result = await nativeClean(input, 'mov', remuxIsoBmff);
    expect(result.report.removed).toContain('location');
    expectContentKept(input, result.data, 'mov', ['v', 'a']);
    const { text } = await dumpTags(result.data, 'mov', dirs.ctx);
    expect(text).toContain('"VideoHandler"');
  });

  test('a fragmented MP4 is refused natively and cleaned by ffmpeg', async () => {
    const input = ffmpeg('frag.mp4', [
      ...[...TONE, '-c:a', 'aac', '-metadata', `artist=${MEDIA_PLANTED.artist}`],
      ...['-movflags', 'frag_keyframe+empty_moov'],
    ]);
    expect(remuxIsoBmff(input)).toEqual({ ok: false, why: 'unsupported top-level box' });
    const result = await sanitiseFile(input, { name: 'a.mp4', type: '' }, dirs.ctx);
    if (result.status !== 'clean') throw new Error(JSON.stringify(result.report));
    expect(result.report.notes).toEqual([
      'native remux declined (unsupported top-level box); remuxed with ffmpeg instead',
    ]);
    const after = await dumpTags(result.data, 'mp4', dirs.ctx);
    expect(recoverable(result.data, planted, after.text)).toEqual([]);
  });

  test('a truncated file is refused', () => {
    const input = ffmpeg('t.m4a', [...TONE, '-c:a', 'aac']);
    expect(remuxIsoBmff(input.subarray(0, input.length - 100)).ok).toBe(false);
  });
});

describe('other containers, through ffmpeg', () => {
  test('video in a container whose frames cannot be inspected (Ogg Theora) is held back', async () => {
    const input = ffmpeg('theora.ogg', [
      ...VIDEO,
      ...TONE,
      '-c:v',
      'libtheora',
      '-c:a',
      'libvorbis',
    ]);
    const result = await sanitiseFile(input, { name: 'a.ogg', type: '' }, dirs.ctx);
    expect(result).toMatchObject({ status: 'unsanitised', reason: 'VERIFY_FAILED' });
    expect(result.report.notes).toEqual([
      'left after cleaning: video in a container whose frames cannot be inspected',
    ]);
    // Audio alone in Ogg is still cleaned.
    const audio = ffmpeg('vorbis.ogg', [...TONE, '-c:a', 'libvorbis']);
    expect((await sanitiseFile(audio, { name: 'a.ogg', type: '' }, dirs.ctx)).status).toBe('clean');
  });
});
