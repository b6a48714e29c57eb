import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc8, crc16, frameHeaderAt } from '../../../worker/sanitise/media/flac/frames';
import { remuxFlac } from '../../../worker/sanitise/media/flac/remux';
import { ffmpegTo, MEDIA_PLANTED } from '../../fixtures/make-media';
import { sanitiseTestDirs } from '../../fixtures/make-sanitise-context';
import { declinedClean, expectSameAudio, nativeClean } from './native-audio';

// The native FLAC remuxer (media/flac/) on files written by ffmpeg, with Vorbis comments, a
// cover picture, padding and hand-added APPLICATION, SEEKTABLE and reserved blocks: what is
// not STREAMINFO or SEEKTABLE goes, the frames stay bit-identical. Files whose audio region is
// not only frames (a tag in front or behind, junk between frames) are declined and cleaned by
// ffmpeg instead.

const dirs = sanitiseTestDirs();
const APP = 'PLANTED-APPLICATION';
const RESERVED = 'PLANTED-RESERVED';
const JUNK = 'PLANTED-JUNK';
const TAGGED = 'PLANTED-ID3';
const planted = [
  ...[MEDIA_PLANTED.artist, MEDIA_PLANTED.title, MEDIA_PLANTED.comment, MEDIA_PLANTED.coverTitle],
  ...[APP, RESERVED, JUNK, TAGGED, 'Lavf'],
];

function tagged(): Buffer {
  const cover = join(dirs.fixtures, 'cover.png');
  writeFileSync(
    cover,
    ffmpegTo(dirs.fixtures, 'cover.png', [
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=32x32',
      '-frames:v',
      '1',
    ]),
  );
  return ffmpegTo(dirs.fixtures, 'tagged.flac', [
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-i', cover],
    ...[
      '-map',
      '0:a',
      '-map',
      '1',
      '-c:a',
      'flac',
      '-c:v',
      'png',
      '-disposition:v',
      'attached_pic',
    ],
    ...['-metadata:s:v', `title=${MEDIA_PLANTED.coverTitle}`],
    ...['-metadata', `artist=${MEDIA_PLANTED.artist}`, '-metadata', `title=${MEDIA_PLANTED.title}`],
    ...['-metadata', `comment=${MEDIA_PLANTED.comment}`],
  ]);
}

interface Parts {
  blocks: { type: number; body: Buffer }[];
  audio: Buffer;
}

function parts(b: Buffer): Parts {
  const blocks: Parts['blocks'] = [];
  let o = 4;
  for (;;) {
    const end = o + 4 + b.readUIntBE(o + 1, 3);
    blocks.push({ type: b[o]! & 0x7f, body: b.subarray(o + 4, end) });
    const last = (b[o]! & 0x80) !== 0;
    o = end;
    if (last) return { blocks, audio: b.subarray(o) };
  }
}

function build({ blocks, audio }: Parts): Buffer {
  const heads = blocks.map((k, i) => {
    const h = Buffer.alloc(4);
    h.writeUIntBE(k.body.length, 1, 3);
    h[0] = (i === blocks.length - 1 ? 0x80 : 0) | k.type;
    return Buffer.concat([h, k.body]);
  });
  return Buffer.concat([Buffer.from('fLaC'), ...heads, audio]);
}

/** One seek point: sample 0 at offset 0 (the first frame), 4608 samples. */
const SEEK_POINT = Buffer.from('00000000000000000000000000000000' + '1200', 'hex');

/** Where the first frame ends in `audio`: where the CRC-16 closes on the next header. */
function firstFrameEnd(audio: Buffer): number {
  const header = frameHeaderAt(audio, 0);
  for (let i = header + 3; i < audio.length; i++) {
    if (frameHeaderAt(audio, i) > 0 && crc16(audio, 0, i) === 0) return i;
  }
  throw new Error('no second frame');
}

function withAllBlocks(): Buffer {
  const p = parts(tagged());
  const app = Buffer.concat([Buffer.from('Sori'), Buffer.from(APP)]);
  const [info, ...rest] = p.blocks;
  return build({
    blocks: [
      info!,
      { type: 3, body: SEEK_POINT },
      { type: 2, body: app },
      ...rest,
      { type: 9, body: Buffer.from(RESERVED) },
    ],
    audio: p.audio,
  });
}

test("CRCs: the check values of FLAC's polynomials", () => {
  const check = Buffer.from('123456789');
  expect(crc16(check, 0, check.length)).toBe(0xfee8); // CRC-16/UMTS (FLAC's frame CRC)
  expect(crc8(check, 0, check.length)).toBe(0xf4); // CRC-8/SMBUS (FLAC's header CRC)
});

test('tags, picture, padding, application and reserved blocks go; STREAMINFO, SEEKTABLE and frames stay', async () => {
  const input = withAllBlocks();
  const result = await nativeClean(dirs, input, 'flac', remuxFlac, planted);
  expect(result.report.removed).toEqual([
    'application data',
    'embedded picture',
    'Vorbis comments',
    'padding',
    'reserved metadata block',
  ]);
  const out = parts(result.data);
  expect(out.blocks.map((k) => k.type)).toEqual([0, 3]);
  expect(out.blocks[0]!.body).toEqual(parts(input).blocks[0]!.body);
  expect(out.blocks[1]!.body).toEqual(SEEK_POINT);
  expect(result.data[4]! & 0x80).toBe(0); // STREAMINFO is not last
  expect(out.audio).toEqual(parts(input).audio);
  expectSameAudio(dirs, input, result.data, 'flac');
});

test('a FLAC with only STREAMINFO is copied as it is, its last-block flag set', async () => {
  const p = parts(tagged());
  const input = build({
    blocks: [p.blocks[0]!, { type: 4, body: p.blocks.find((k) => k.type === 4)!.body }],
    audio: p.audio,
  });
  const result = await nativeClean(dirs, input, 'flac', remuxFlac, planted);
  expect(result.report.removed).toEqual(['Vorbis comments']);
  expect(result.data[4]).toBe(0x80);
  expectSameAudio(dirs, input, result.data, 'flac');
});

describe('declined, cleaned by ffmpeg', () => {
  test('an ID3v2 tag before fLaC', async () => {
    const text = Buffer.from(`\0${TAGGED}`);
    const frame = Buffer.concat([Buffer.from('TIT2'), Buffer.alloc(4), Buffer.from([0, 0]), text]);
    frame.writeUInt32BE(text.length, 4);
    const id3 = Buffer.concat([
      Buffer.from('ID3\x03\0\0', 'latin1'),
      Buffer.from([0, 0, 0, frame.length]),
      frame,
    ]);
    const input = Buffer.concat([id3, withAllBlocks()]);
    const result = await declinedClean(
      dirs,
      input,
      'flac',
      remuxFlac,
      /^ID3v2 tag before fLaC$/,
      planted,
    );
    expectSameAudio(dirs, input, result.data, 'flac');
  });

  test('an ID3v1 tag after the frames', async () => {
    const v1 = Buffer.alloc(128);
    v1.write(`TAG${TAGGED}`, 'latin1');
    const input = Buffer.concat([withAllBlocks(), v1]);
    const result = await declinedClean(
      dirs,
      input,
      'flac',
      remuxFlac,
      /data after the frames/,
      planted,
    );
    expectSameAudio(dirs, withAllBlocks(), result.data, 'flac');
  });

  test('junk between two frames', async () => {
    const p = parts(withAllBlocks());
    const cut = firstFrameEnd(p.audio);
    const audio = Buffer.concat([
      p.audio.subarray(0, cut),
      Buffer.from(JUNK),
      p.audio.subarray(cut),
    ]);
    const input = build({ ...p, audio });
    const result = await declinedClean(dirs, input, 'flac', remuxFlac, /FLAC frame/, planted);
    // ffmpeg re-encodes FLAC losslessly: the junk is gone, the samples are the original's.
    expectSameAudio(dirs, withAllBlocks(), result.data, 'flac');
    expect(result.report.kept).toEqual([expect.stringMatching(/^audio re-encoded losslessly/)]);
  });

  test('a STREAMINFO that is not first', async () => {
    const p = parts(withAllBlocks());
    const input = build({ ...p, blocks: [p.blocks[1]!, p.blocks[0]!, ...p.blocks.slice(2)] });
    expect(remuxFlac(input)).toEqual({ ok: false, why: 'FLAC without a STREAMINFO block first' });
  });
});
