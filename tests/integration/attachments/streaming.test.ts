import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateBoxKeyPair, initCrypto, toBase64 } from '../../../crypto';
import type { RecordFile } from '../../../core/record/record-body';
import { makeM4a, makeMp3, makeMp4, MEDIA_PLANTED } from '../../fixtures/make-media';
import { PLANTED } from '../../fixtures/make-office';
import { dumpTags, recoverable, type TestDirs } from '../../fixtures/make-sanitise-context';
import type { TestApp } from '../../support/app';
import { type TestKeys } from '../../support/worker';
import { insertAtEnd, SAMPLE_ENTRY, udtaWithArtist } from '../../unit/sanitise/plant-box';
import { readRecordWhenDone } from '../worker/worker-fixtures';
import {
  blobCounts,
  openHeldBack,
  readCleanFile,
  recordKeyFor,
  submitWithFiles,
  unknownBinary,
  type Reviewer,
} from './attachment-fixtures';
import { startAttachmentStack, type AttachmentStack } from './attachment-stack';

// Audio and video over SANITISE_MAX_BYTES (lowered here so small fixtures take the path) are
// cleaned as a stream, end to end: upload → worker decrypts pass after pass, never holding the
// file → clean output streamed into its encrypted record file → a reviewer reads it. Planted
// values must be gone, content intact, the report must say what went; a leftover the output's
// re-reading finds holds the file back, its original intact for an admin.

jest.setTimeout(120_000);

const planted = [
  ...[MEDIA_PLANTED.artist, MEDIA_PLANTED.title, MEDIA_PLANTED.comment, MEDIA_PLANTED.coverTitle],
  ...['37.5665', '126.978', '2024:03:01', '2024-03-01', PLANTED.exifArtist, PLANTED.exifSerial],
];

describe('attachments: audio and video too large to hold, cleaned as a stream', () => {
  let app: TestApp;
  let keys: TestKeys;
  let dirs: TestDirs;
  let admin: Reviewer;
  let stack: AttachmentStack | undefined;

  beforeAll(async () => {
    await initCrypto();
    stack = await startAttachmentStack({
      config: {
        SANITISE_MAX_BYTES: 10_000,
        UPLOAD_CHUNK_BYTES: 65536,
        ORIGINALS: 'custodian',
        CUSTODIAN_PUBLIC_KEY: toBase64(generateBoxKeyPair().publicKey),
      },
    });
    ({ app, keys, dirs, admin } = stack);
  });

  afterAll(async () => stack?.close());

  function probe(data: Buffer, ext: string): { duration: number; streams: string[] } {
    const path = join(dirs.fixtures, `probe.${ext}`);
    writeFileSync(path, data);
    const out = execFileSync('ffprobe', [
      ...['-v', 'error', '-show_format', '-show_streams', '-of', 'json', path],
    ]);
    const json = JSON.parse(out.toString()) as {
      format: { duration: string };
      streams: {
        codec_type: string;
        codec_name: string;
        disposition?: { attached_pic?: number };
      }[];
    };
    return {
      duration: Number(json.format.duration),
      streams: json.streams
        .filter((s) => s.disposition?.attached_pic !== 1) // cover art is not content
        .map((s) => `${s.codec_type}:${s.codec_name}`),
    };
  }

  it('cleans MP3, M4A and MP4 (moov last or first) as streams; holds back a leftover', async () => {
    const mp3 = await makeMp3(dirs.fixtures);
    const m4a = await makeM4a(dirs.fixtures);
    const mp4 = await makeMp4(dirs.fixtures); // moov at the end, ffmpeg's default
    const atEnd = join(dirs.fixtures, 'end.mp4');
    writeFileSync(atEnd, mp4);
    const front = join(dirs.fixtures, 'front.mp4');
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-i', atEnd, '-c', 'copy', '-movflags', '+faststart', front],
    ]);
    const faststart = readFileSync(front);
    expect(mp4.indexOf('moov')).toBeGreaterThan(mp4.indexOf('mdat'));
    expect(faststart.indexOf('moov')).toBeLessThan(faststart.indexOf('mdat'));
    // A tag box inside the audio sample description: copied by the remuxer as codec
    // configuration, so only the output's re-reading can catch it.
    const leftover = insertAtEnd(m4a, SAMPLE_ENTRY, udtaWithArtist(MEDIA_PLANTED.artist));
    const binary = Buffer.concat([unknownBinary('too-large'), Buffer.alloc(20_000, 7)]);
    const inputs = [
      { name: 'voice.mp3', type: 'audio/mpeg', data: mp3, ext: 'mp3' },
      { name: 'memo.m4a', type: 'audio/mp4', data: m4a, ext: 'm4a' },
      { name: 'VID_20240301.mp4', type: 'video/mp4', data: mp4, ext: 'mp4' },
      { name: 'clip.mp4', type: 'video/mp4', data: faststart, ext: 'mp4' },
      { name: 'tagged.m4a', type: 'audio/mp4', data: leftover, ext: 'm4a' },
      { name: 'data.bin', type: '', data: binary, ext: 'bin' },
    ];
    for (const f of inputs) expect(f.data.length).toBeGreaterThan(10_000);

    const { submissionId } = await submitWithFiles(app.url, keys.intake.publicKey, '녹음', inputs);
    const { body, recordId } = await readRecordWhenDone(app.pool, submissionId, admin);
    const outcome = (f: RecordFile) => (f.status === 'clean' ? f.extension : f.reason);
    expect(body.files.map(outcome)).toEqual([
      ...['mp3', 'm4a', 'mp4', 'mp4'],
      ...['VERIFY_FAILED', 'TOO_LARGE_TO_SANITISE'],
    ]);
    expect(body.originals).toEqual({ custodian: true, count: 6 });
    // 4 streamed clean copies; 2 held-back originals and 6 custodian originals.
    expect(await blobCounts(app.pool, submissionId)).toEqual(['original: 8', 'record-file: 4']);

    const r = await recordKeyFor(app.pool, recordId, admin);
    for (const [i, input] of inputs.slice(0, 4).entries()) {
      const file = body.files[i]!;
      if (file.status !== 'clean') throw new Error(`${input.name} not clean`);
      expect(file.report.notes).toEqual(['cleaned as a stream (too large to hold in memory)']);
      const clean = await readCleanFile(app.pool, r, file); // size and SHA-256 as recorded
      const after = await dumpTags(clean, input.ext, dirs.ctx);
      expect(recoverable(clean, planted, after.text)).toEqual([]);
      const [p0, p1] = [probe(input.data, input.ext), probe(clean, input.ext)];
      expect(p1.streams).toEqual(p0.streams);
      expect(Math.abs(p1.duration - p0.duration)).toBeLessThan(0.05);
    }
    const removed = body.files.map((f) => (f.status === 'clean' ? f.report.removed : []));
    expect(removed[0]).toEqual(
      expect.arrayContaining(['ID3v2 tag (4 frames)', 'cover art', 'ID3v1 tag']),
    );
    for (const i of [1, 2, 3]) {
      expect(removed[i]).toEqual(expect.arrayContaining(['location', 'original file name']));
      expect(removed[i]!.some((x) => x.startsWith('container and stream tags'))).toBe(true);
    }

    const held = body.files[4]!;
    if (held.status !== 'unsanitised' || !held.fileId) throw new Error('not held back');
    expect(held.report?.notes).toEqual([
      'left after cleaning: moov/trak/mdia/minf/stbl/stsd/udta, QuickTime:Track1:Unknown_udta',
    ]);
    expect((await openHeldBack(app.pool, held.fileId, admin)).equals(leftover)).toBe(true);
    const tooLarge = body.files[5]!;
    if (tooLarge.status !== 'unsanitised' || !tooLarge.fileId) throw new Error('not held back');
    expect((await openHeldBack(app.pool, tooLarge.fileId, admin)).equals(binary)).toBe(true);
  });
});
