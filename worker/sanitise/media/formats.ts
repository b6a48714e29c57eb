import type { Format } from '../detect-format';
import { remuxAiff } from './aiff/remux';
import type { Probe } from './ffprobe';
import { asfHeaders } from './headers/asf';
import { aviHeaders } from './headers/avi';
import { remuxFlac } from './flac/remux';
import { IsoBmffStreamer } from './isobmff/stream';
import { remuxIsoBmff } from './isobmff/remux';
import { Mp3Streamer } from './mp3/stream';
import { remuxMp3 } from './mp3/remux';
import type { Remuxed } from './remux';
import type { Streamer } from './stream.types';

// Every media format this wing cleans: its container, and for MP3 and the MP4 family the
// native remuxer and streamer (FLAC and AIFF: a native remuxer for files held in memory). A new
// format is added here, in its own folder, and in detect-format.ts.

export interface Container {
  ext: string;
  mime: string;
  /** ffmpeg demuxer forced on input, so a crafted file cannot pick another (playlist) demuxer. */
  demuxer: string;
  /**
   * Containers whose video nothing here can inspect for camera data (AVI, ASF): transcoded
   * to H.264/AAC in MP4, whose every sample is then read on the NAL allowlist.
   */
  transcodeTo?: Container;
  /**
   * An audio codec ffmpeg re-encodes to instead of copying packets: lossless, so the samples
   * stay bit-identical, and bytes hidden in or between packets (junk between FLAC frames, a
   * trailing tag the demuxer folds into the last packet) are not carried over.
   */
  losslessAudio?: string;
  /**
   * Streams, length and tags read from the file's own headers instead of an ffprobe start-up;
   * throws Refused for what it does not read, and ffprobe reads that instead.
   */
  headers?: (input: Buffer) => Probe;
}

const MP4: Container = { ext: 'mp4', mime: 'video/mp4', demuxer: 'mov' };

export const CONTAINERS: Partial<Record<Format, Container>> = {
  mp3: { ext: 'mp3', mime: 'audio/mpeg', demuxer: 'mp3' },
  m4a: { ext: 'm4a', mime: 'audio/mp4', demuxer: 'mov' },
  mp4: { ext: 'mp4', mime: 'video/mp4', demuxer: 'mov' },
  mov: { ext: 'mov', mime: 'video/quicktime', demuxer: 'mov' },
  '3gp': { ext: '3gp', mime: 'video/3gpp', demuxer: 'mov' },
  ogg: { ext: 'ogg', mime: 'audio/ogg', demuxer: 'ogg' },
  wav: { ext: 'wav', mime: 'audio/wav', demuxer: 'wav' },
  flac: { ext: 'flac', mime: 'audio/flac', demuxer: 'flac', losslessAudio: 'flac' },
  aiff: { ext: 'aiff', mime: 'audio/aiff', demuxer: 'aiff' },
  avi: {
    ext: 'avi',
    mime: 'video/x-msvideo',
    demuxer: 'avi',
    transcodeTo: MP4,
    headers: aviHeaders,
  },
  asf: {
    ext: 'wmv',
    mime: 'video/x-ms-asf',
    demuxer: 'asf',
    transcodeTo: MP4,
    headers: asfHeaders,
  },
};

export type StreamedFormat = Extract<Format, 'mp3' | 'm4a' | 'mp4' | 'mov' | '3gp'>;
export const STREAMED: readonly Format[] = ['mp3', 'm4a', 'mp4', 'mov', '3gp'];

/** The native remuxer for a container family, if there is one. */
export function nativeRemux(format: Format, input: Buffer): Remuxed | null {
  if (format === 'mp3') return remuxMp3(input);
  if (['m4a', 'mp4', 'mov', '3gp'].includes(format)) return remuxIsoBmff(input);
  if (format === 'flac') return remuxFlac(input);
  if (format === 'aiff') return remuxAiff(input);
  return null;
}

/** The streaming remuxer for a format too large to hold (`STREAMED`). */
export function streamerFor(format: StreamedFormat, size: number): Streamer {
  return format === 'mp3' ? new Mp3Streamer(size) : new IsoBmffStreamer(size);
}
