import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initCrypto } from '../../../crypto';
import { remuxIsoBmff } from '../../../worker/sanitise/media/isobmff/remux';
import { IsoBmffOutputCheck } from '../../../worker/sanitise/media/isobmff/verify';
import { STRUCTURAL } from '../../../worker/sanitise/media/structural-tags';
import { remuxMp3 } from '../../../worker/sanitise/media/mp3/remux';
import { Mp3Streamer } from '../../../worker/sanitise/media/mp3/stream';
import type { Remuxed } from '../../../worker/sanitise/media/remux';
import { verifyClean } from '../../../worker/sanitise/verify';
import { ffmpegTo, makeM4a, makeMp3, makeMp4, MEDIA_PLANTED } from '../../fixtures/make-media';
import { sanitiseTestDirs } from '../../fixtures/make-sanitise-context';
import { insertAtEnd, SAMPLE_ENTRY, udtaWithArtist } from './plant-box';
import { stream as streamThrough } from './stream-media';

// Streamed cleaning (media.stream.ts) of files too large to hold: for any chunking of the
// passes, the output must be byte for byte what the in-memory native remuxer writes (whose
// own tests check planted values, content and packets), with the same report. And its
// verification must be real: a tag box left in the output, or bytes around MP3 frames, fail it.

const dirs = sanitiseTestDirs();
beforeAll(initCrypto);

const ffmpeg = (out: string, args: string[]): Buffer => ffmpegTo(dirs.fixtures, out, args);

const stream = (input: Buffer, step: number) => streamThrough(input, step, dirs.ctx);

async function expectSameAsNative(input: Buffer, native: Remuxed): Promise<void> {
  if (!native.ok) throw new Error(native.why);
  for (const step of [7, 4093, 65536]) {
    const { result, data, ended } = await stream(input, step);
    if (result.status !== 'clean') throw new Error(JSON.stringify(result.report));
    expect(ended).toBe(true);
    expect(data.equals(native.data)).toBe(true);
    expect(result.report.removed).toEqual(native.removed);
    expect(result.report.notes).toEqual(['cleaned as a stream (too large to hold in memory)']);
  }
}

describe('streamed output equals the in-memory native remux', () => {
  test('MP3 with ID3v2, cover art and ID3v1', async () => {
    const input = await makeMp3(dirs.fixtures);
    await expectSameAsNative(input, remuxMp3(input));
  });

  test('M4A with location, dates and tags (moov at the end)', async () => {
    const input = await makeM4a(dirs.fixtures);
    expect(input.indexOf('moov')).toBeGreaterThan(input.indexOf('mdat'));
    await expectSameAsNative(input, remuxIsoBmff(input));
  });

  test('MP4 video, moov at the end and moov in front (+faststart)', async () => {
    const atEnd = await makeMp4(dirs.fixtures);
    await expectSameAsNative(atEnd, remuxIsoBmff(atEnd));
    const path = join(dirs.fixtures, 'end.mp4');
    writeFileSync(path, atEnd);
    const inFront = ffmpeg('front.mp4', ['-i', path, '-c', 'copy', '-movflags', '+faststart']);
    expect(inFront.indexOf('moov')).toBeLessThan(inFront.indexOf('mdat'));
    await expectSameAsNative(inFront, remuxIsoBmff(inFront));
  });

  test('a joined video (H.264 parameter sets repeated in-band) is clean', async () => {
    // exiftool -ee3 reads the coded size from an in-band SPS: structure, allowed.
    ffmpeg('part.mp4', [
      ...['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=15:duration=2'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    ]);
    const list = join(dirs.fixtures, 'list.txt');
    writeFileSync(list, "file 'part.mp4'\nfile 'part.mp4'\n");
    const input = ffmpeg('joined.mp4', ['-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy']);
    await expectSameAsNative(input, remuxIsoBmff(input));
  });

  test('what the streaming path refuses is held back with a note, nothing written', async () => {
    const input = ffmpeg('frag.mp4', [
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-c:a', 'aac'],
      ...['-movflags', 'frag_keyframe+empty_moov'],
    ]);
    const { result, data } = await stream(input, 4096);
    expect(result).toMatchObject({
      status: 'unsanitised',
      reason: 'TOO_LARGE_TO_SANITISE',
      report: { notes: ['streaming remux declined (unsupported top-level box)'] },
    });
    expect(data.length).toBe(0);
  });

  test('a movie box over its cap is not held: the file is held back', async () => {
    const box = (type: string, size: number) => {
      const b = Buffer.alloc(size);
      b.writeUInt32BE(size, 0);
      b.write(type, 4, 'latin1');
      return b;
    };
    const ftyp = box('ftyp', 16);
    ftyp.write('isom', 8, 'latin1');
    const input = Buffer.concat([ftyp, box('mdat', 1024), box('moov', 16 * 1024 * 1024 + 1)]);
    const { result } = await stream(input, 65536);
    expect(result).toMatchObject({
      reason: 'TOO_LARGE_TO_SANITISE',
      report: { notes: ['streaming remux declined (movie box too large to hold)'] },
    });
  });
});

describe('the streamed output is re-read, and a leftover fails it', () => {
  test('a tag box inside a sample description survives the remux and is caught', async () => {
    // A box the remuxer copies as codec configuration: a real leftover, not a constructed one.
    const m4a = await makeM4a(dirs.fixtures); // moov last: no chunk offset moves
    const input = insertAtEnd(m4a, SAMPLE_ENTRY, udtaWithArtist(MEDIA_PLANTED.artist));
    const native = remuxIsoBmff(input);
    expect(native.ok && native.data.includes(MEDIA_PLANTED.artist)).toBe(true);
    const { result, ended, aborted } = await stream(input, 65536);
    expect(result).toMatchObject({ status: 'unsanitised', reason: 'VERIFY_FAILED' });
    // Both re-readings find it: the box allowlist, and exiftool on the skeleton.
    expect(result.report.notes).toEqual([
      'left after cleaning: moov/trak/mdia/minf/stbl/stsd/udta, QuickTime:Track1:Unknown_udta',
    ]);
    expect({ ended, aborted }).toEqual({ ended: false, aborted: true });
  });

  test('ISO BMFF: each check alone catches a udta in moov; stray top-level boxes too', async () => {
    const native = remuxIsoBmff(await makeM4a(dirs.fixtures));
    if (!native.ok) throw new Error(native.why);
    const check = (data: Buffer) => {
      const c = new IsoBmffOutputCheck(data.length);
      for (let at = 0; at < data.length; at += 1000) c.push(data.subarray(at, at + 1000));
      return c.finish();
    };
    const clean = check(native.data);
    expect(clean.leftover).toEqual([]);
    expect(await verifyClean(clean.skeleton!, 'm4a', dirs.ctx, STRUCTURAL)).toEqual({ ok: true });

    const planted = check(insertAtEnd(native.data, ['moov'], udtaWithArtist('PLANTED')));
    expect(planted.leftover).toEqual(['moov/udta']);
    // exiftool on the skeleton, on its own, sees the tag as well.
    const byExiftool = await verifyClean(planted.skeleton!, 'm4a', dirs.ctx, STRUCTURAL);
    expect(byExiftool.ok).toBe(false);

    const xmp = Buffer.alloc(40);
    xmp.writeUInt32BE(40, 0);
    xmp.write('uuid', 4, 'latin1');
    expect(check(Buffer.concat([native.data, xmp])).leftover).toEqual([
      'top-level boxes "ftyp,moov,mdat,uuid"',
    ]);
  });

  test('MP3: anything but audio frames, in front or behind, fails the re-read', async () => {
    const native = remuxMp3(await makeMp3(dirs.fixtures));
    if (!native.ok) throw new Error(native.why);
    const check = (data: Buffer) => {
      const c = new Mp3Streamer(0).check();
      for (let at = 0; at < data.length; at += 333) c.push(data.subarray(at, at + 333));
      return c.finish();
    };
    const clean = check(native.data);
    expect(clean.leftover).toEqual([]);
    expect(await verifyClean(clean.skeleton!, 'mp3', dirs.ctx, STRUCTURAL)).toEqual({ ok: true });
    const id3v1 = Buffer.alloc(128);
    id3v1.write(`TAG${MEDIA_PLANTED.title}`, 0, 'latin1');
    const id3v2 = Buffer.from('ID3\x03\x00\x00\x00\x00\x00\x00', 'latin1');
    expect(check(Buffer.concat([native.data, id3v1])).leftover).toEqual([
      'output: bytes that are not audio frames',
    ]);
    expect(check(Buffer.concat([id3v2, native.data])).leftover).toEqual([
      'output: bytes that are not audio frames',
    ]);
  });
});

describe('MP3: ID3v2 tags stacked in front', () => {
  // A 10-byte ID3v2.3 tag with nothing in it: a pile of them once cost a join of every byte
  // held so far per tag (quadratic: minutes of blocked event loop for 16 MiB of them).
  const empty = Buffer.from('ID3\x03\x00\x00\x00\x00\x00\x00', 'latin1');
  // Detection looks for a frame header just after the first tag: a second tag holding the
  // bytes of one lets the pile through to the remuxer.
  const stacked = (n: number, mp3: Buffer) => {
    const native = remuxMp3(mp3);
    if (!native.ok) throw new Error(native.why);
    const lure = Buffer.concat([empty, native.data.subarray(0, 4)]);
    lure[9] = 4; // its size: the four bytes of a frame header
    const pile = Array.from({ length: n - 2 }, () => empty);
    return Buffer.concat([empty, lure, ...pile, mp3]);
  };

  test('thousands of them are refused by their count: held back, in memory too', async () => {
    const input = stacked(20_000, await makeMp3(dirs.fixtures));
    for (const step of [4093, 65536]) {
      const { result, data } = await stream(input, step);
      expect(result).toMatchObject({
        status: 'unsanitised',
        reason: 'TOO_LARGE_TO_SANITISE',
        report: { notes: ['streaming remux declined (too many ID3v2 tags)'] },
      });
      expect(data.length).toBe(0);
    }
    expect(remuxMp3(input)).toMatchObject({ ok: false, why: 'too many ID3v2 tags' });
  });

  test('up to 64 of them are dropped like one', async () => {
    const mp3 = await makeMp3(dirs.fixtures); // carries one tag already
    const input = stacked(63, mp3);
    const native = remuxMp3(input);
    expect(native).toMatchObject({ ok: true });
    await expectSameAsNative(input, native);
    expect(remuxMp3(stacked(64, mp3))).toMatchObject({ ok: false });
  });
});
