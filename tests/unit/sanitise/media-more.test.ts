// FLAC and AIFF are remuxed natively with every tag dropped (flac-native, aiff-native test
// the details); AVI and WMV/ASF, whose video
// frames nothing here can inspect for camera data, are transcoded to H.264/AAC in MP4, whose
// every sample is then read on the NAL allowlist. Fixtures are made by ffmpeg with tags planted.
import { sanitiseFile, detectFormat } from '../../../worker/sanitise';
import { ffmpegTo, MEDIA_PLANTED } from '../../fixtures/make-media';
import { dumpTags, recoverable, sanitiseTestDirs } from '../../fixtures/make-sanitise-context';

const dirs = sanitiseTestDirs();
const PLANTED = [
  MEDIA_PLANTED.artist,
  MEDIA_PLANTED.title,
  MEDIA_PLANTED.comment,
  'PLANT-MEDIA-COPYRIGHT',
];
const TAGS = [
  ...['-metadata', `artist=${MEDIA_PLANTED.artist}`, '-metadata', `title=${MEDIA_PLANTED.title}`],
  ...[
    '-metadata',
    `comment=${MEDIA_PLANTED.comment}`,
    '-metadata',
    'copyright=PLANT-MEDIA-COPYRIGHT',
  ],
];
const TONE = ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2'];
const VIDEO = ['-f', 'lavfi', '-i', 'testsrc=size=96x64:rate=10:duration=2'];

const CASES = [
  ['flac', 'flac', 'audio/flac', [...TONE, '-c:a', 'flac', ...TAGS]],
  ['aiff', 'aiff', 'audio/aiff', [...TONE, ...TAGS]],
  ['avi', 'avi', 'video/mp4', [...VIDEO, ...TONE, '-c:v', 'mpeg4', '-c:a', 'mp3', ...TAGS]],
  ['wmv', 'asf', 'video/mp4', [...VIDEO, ...TONE, '-c:v', 'wmv2', '-c:a', 'wmav2', ...TAGS]],
] as const;

test.each(CASES)(
  '%s comes out clean',
  async (ext, format, mime, args) => {
    const input = ffmpegTo(dirs.fixtures, `planted.${ext}`, [...args]);
    expect(detectFormat(input)).toBe(format);
    // The fixture carries what it should: exiftool reads the planted artist.
    expect((await dumpTags(input, ext, dirs.ctx)).text).toContain(MEDIA_PLANTED.title);
    const result = await sanitiseFile(input, { name: `a.${ext}`, type: '' }, dirs.ctx);
    if (result.status !== 'clean') throw new Error(JSON.stringify(result));
    expect(result.mime).toBe(mime);
    const { text } = await dumpTags(result.data, result.extension, dirs.ctx);
    expect(recoverable(result.data, PLANTED, text)).toEqual([]);
    // The native remuxers name the blocks or chunks they drop; ffmpeg counts tags.
    const dropped = { flac: 'Vorbis comments', aiff: 'name' } as Record<string, string>;
    expect(result.report.removed).toEqual(
      expect.arrayContaining([dropped[ext] ?? expect.stringMatching(/^container and stream tags/)]),
    );
    if (ext in dropped) expect(result.report.notes).toBeUndefined();
    if (mime === 'video/mp4') expect(result.report.kept.join(' ')).toContain('transcoded');
  },
  60_000,
);
