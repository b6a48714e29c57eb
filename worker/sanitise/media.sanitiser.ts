import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { detectFormat, FORMAT_MIME, type Format } from './detect-format';
import { inspectVideoFile } from './isobmff.inspect';
import { remuxIsoBmff } from './isobmff.remux';
import { remuxMp3 } from './mp3.remux';
import type { Remuxed } from './remux';
import type { SanitiseContext, FileSanitiseReport, SanitiseResult, Sanitiser } from './types';
import { verifyClean } from './verify';
import { LimitExceeded, MAX_MEDIA_SECONDS, MAX_MEDIA_TRACKS } from './limits';

const run = promisify(execFile);

// Audio and video are remuxed, never re-encoded: container tags, chapters, cover art, data
// tracks (an iPhone's timed location track is one) and subtitle tracks are dropped; the audio
// and video packets are copied as they are. MP3 and MP4/M4A/MOV/3GP are remuxed in process
// (mp3.remux.ts, isobmff.remux.ts), everything else and whatever those refuse by ffmpeg. Files
// too large to hold in memory take the native rules as a stream (media.stream.ts).
// Codec-level strings inside the packets (an encoder's name in an AAC fill element, LAME's
// padding in MP3 ancillary data) are left: removing them means re-encoding. Video is the
// exception: cameras write dates and GPS into H.264/HEVC SEI messages, so every video sample
// of an MP4-family output is read on the allowlist of isobmff.nal.ts, as the streamed path
// does (videoFinding), and video that cannot be read so is held back.

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
  flac: { ext: 'flac', mime: 'audio/flac', demuxer: 'flac' },
  aiff: { ext: 'aiff', mime: 'audio/aiff', demuxer: 'aiff' },
  avi: { ext: 'avi', mime: 'video/x-msvideo', demuxer: 'avi', transcodeTo: MP4 },
  asf: { ext: 'wmv', mime: 'video/x-ms-asf', demuxer: 'asf', transcodeTo: MP4 },
};

// What exiftool may still read in a remuxed file: structure, codec parameters, duration. The
// QuickTime date fields stay present but hold zero (ffmpeg writes 0 under +bitexact).
export const STRUCTURAL = [
  /^File:ID3Size$/,
  /^MPEG:(MPEGAudioVersion|AudioLayer|AudioBitrate|SampleRate|ChannelMode|ModeExtension)$/,
  /^MPEG:(MSStereo|IntensityStereo|CopyrightFlag|OriginalMedia|Emphasis|VBRFrames|VBRBytes)$/,
  // Read from the LAME header, whose version the native remux cuts to the family ('LAME').
  /^MPEG:Encoder$/,
  /^MPEG:VBRScale$/, // the Xing header's quality figure (0–100), in every VBR file
  /^Composite:AudioBitrate$/, // derived from the frames
  /^QuickTime:(MovieHeaderVersion|CreateDate|ModifyDate|TimeScale|Duration|PreferredRate)$/,
  /^QuickTime:(PreferredVolume|MatrixStructure|PreviewTime|PreviewDuration|PosterTime)$/,
  /^QuickTime:(SelectionTime|SelectionDuration|CurrentTime|NextTrackID|HandlerVendorID)$/,
  /^QuickTime:(Free|Wide|MediaData|MediaDataSize|MediaDataOffset)$/, // boxes ffmpeg writes empty
  // Sample tables and codec configuration, rebuilt by the muxer from the copied packets.
  /^QuickTime:Track\d+:(ChunkOffset|ChunkOffset64|SampleSizes|SampleToChunk|SampleToGroup)$/,
  /^QuickTime:Track\d+:(SampleGroupDescription|TimeToSampleTable|SyncSampleTable)$/,
  /^QuickTime:Track\d+:(CompositionTimeToSample|CompositionToDecodeTimelineMapping)$/,
  /^QuickTime:Track\d+:(SampleDependencyTypes|PartialSyncSamples|AVCConfiguration)$/,
  // The sdtp box (per-sample dependency flags; ExifTool spells it this way), as in HEVC files.
  /^QuickTime:Track\d+:IdependentAndDisposableSamples$/,
  /^QuickTime:Track\d+:Unknown_(edts|esds|mp4a|d263|damr|hvcC|btrt|dOps|dac3|dec3|chan|wave|alac)$/,
  /^QuickTime:Track\d+:(HandlerClass|VendorID|VideoFieldOrder|LayoutFlags|PurchaseFileFormat)$/,
  /^QuickTime:Track\d+:(HEVCConfigurationVersion|GeneralProfileSpace|GeneralTierFlag)$/,
  /^QuickTime:Track\d+:(GeneralProfileIDC|GenProfileCompatibilityFlags|ConstraintIndicatorFlags)$/,
  /^QuickTime:Track\d+:(GeneralLevelIDC|MinSpatialSegmentationIDC|ParallelismType|ChromaFormat)$/,
  /^QuickTime:Track\d+:(BitDepthLuma|BitDepthChroma|AverageFrameRate|ConstantFrameRate)$/,
  /^QuickTime:Track\d+:(NumTemporalLayers|TemporalIDNested)$/,
  /^QuickTime:Track\d+:(TrackHeaderVersion|TrackCreateDate|TrackModifyDate|TrackID)$/,
  /^QuickTime:Track\d+:(TrackDuration|TrackLayer|TrackVolume|MatrixStructure|Balance)$/,
  /^QuickTime:Track\d+:(MediaHeaderVersion|MediaCreateDate|MediaModifyDate|MediaTimeScale)$/,
  /^QuickTime:Track\d+:(MediaDuration|MediaLanguageCode|HandlerType|HandlerClass)$/,
  /^QuickTime:Track\d+:HandlerDescription$/,
  /^QuickTime:Track\d+:(AudioFormat|AudioChannels|AudioBitsPerSample|AudioSampleRate)$/,
  /^QuickTime:Track\d+:(ImageWidth|ImageHeight|GraphicsMode|OpColor|CompressorID|BitDepth)$/,
  /^QuickTime:Track\d+:(SourceImageWidth|SourceImageHeight|XResolution|YResolution)$/,
  /^QuickTime:Track\d+:(PixelAspectRatio|BufferSize|MaxBitrate|AverageBitrate|VideoFrameRate)$/,
  /^QuickTime:Track\d+:(CleanApertureDimensions|ProductionApertureDimensions|EncodedPixelsDimensions)$/,
  /^QuickTime:Track\d+:(ColorRepresentation|ColorPrimaries|TransferCharacteristics)$/,
  /^QuickTime:Track\d+:(MatrixCoefficients|VideoFullRangeFlag|GenMediaVersion|GenFlags)$/,
  /^QuickTime:Track\d+:(GenGraphicsMode|GenOpColor|GenBalance)$/,
  /^Composite:(Rotation)$/,
  // Read by -ee3 from an H.264 sequence parameter set sent in-band (joined or re-muxed
  // streams): the coded size. Camera data in H.264 (AVCHD's MDPM dates, GPS) stays refused.
  /^H264:Track\d+:(ImageWidth|ImageHeight)$/,
  /^RIFF:(Encoding|NumChannels|SampleRate|AvgBytesPerSec|BitsPerSample)$/,
  /^Vorbis:(VorbisVersion|AudioChannels|SampleRate|NominalBitrate|MaximumBitrate)$/,
  /^Vorbis:(MinimumBitrate|Vendor)$/, // the vendor string is ffmpeg's own under +bitexact
  /^Opus:(OpusVersion|AudioChannels|SampleRate|OutputGain)$/,
  /^FLAC:(BlockSizeMin|BlockSizeMax|FrameSizeMin|FrameSizeMax|SampleRate|Channels)$/,
  /^FLAC:(BitsPerSample|TotalSamples|MD5Signature)$/,
  /^AIFF:(NumChannels|NumSampleFrames|SampleSize|SampleRate|FormatVersionTime|CompressionType)$/,
  /^AIFF:CompressorName$/, // the codec's name ("not compressed"), from the COMM chunk
  /^FLAC:Padding$/, // the zero-filled block ffmpeg's FLAC muxer always writes
];

// A transcoded file was written from decoded frames: its compressor name is the encoder's own
// ("Lavc libx264"), never one copied from the source's camera.
const TRANSCODED_TAGS = [...STRUCTURAL, /^QuickTime:Track\d+:CompressorName$/];

interface Probe {
  format?: { duration?: string; tags?: Record<string, string> };
  streams?: {
    codec_type?: string;
    duration?: string;
    tags?: Record<string, string>;
    disposition?: { attached_pic?: number };
  }[];
  chapters?: unknown[];
}

async function probe(path: string, demuxer: string): Promise<Probe> {
  const { stdout } = await run(
    'ffprobe',
    [
      '-v',
      'error',
      '-f',
      demuxer,
      '-show_format',
      '-show_streams',
      '-show_chapters',
      '-of',
      'json',
      path,
    ],
    { timeout: 60_000, maxBuffer: 16 << 20 },
  );
  return JSON.parse(stdout) as Probe;
}

/** A length or a number of tracks past the limits (limits.ts), from the probe. */
function mediaLimit(p: Probe): LimitExceeded['code'] | null {
  if ((p.streams ?? []).length > MAX_MEDIA_TRACKS) return 'MEDIA_TOO_MANY_TRACKS';
  if ((durationOf(p) ?? 0) > MAX_MEDIA_SECONDS) return 'MEDIA_TOO_LONG';
  return null;
}

function durationOf(p: Probe): number | undefined {
  const values = [p.format?.duration, ...(p.streams ?? []).map((s) => s.duration)]
    .map((d) => Number(d))
    .filter((d) => Number.isFinite(d) && d > 0);
  return values.length > 0 ? Math.max(...values) : undefined;
}

/**
 * What the remux drops, by kind and count. Tag names are not listed: ID3 TXXX descriptions and
 * MP4 freeform keys are free text chosen by whoever wrote the file.
 */
function describe(p: Probe): string[] {
  const removed: string[] = [];
  const tagNames = new Set(Object.keys(p.format?.tags ?? {}));
  for (const s of p.streams ?? []) for (const k of Object.keys(s.tags ?? {})) tagNames.add(k);
  if (tagNames.size > 0) removed.push(`container and stream tags (${tagNames.size})`);
  if ((p.chapters ?? []).length > 0) removed.push('chapters');
  const streams = p.streams ?? [];
  if (streams.some((s) => s.disposition?.attached_pic === 1)) removed.push('cover art');
  for (const kind of ['subtitle', 'data', 'attachment']) {
    const n = streams.filter((s) => s.codec_type === kind).length;
    if (n > 0) removed.push(`${kind} streams (${n})`);
  }
  return removed;
}

/** The native remuxer for a container family, if there is one. */
function nativeRemux(format: Format, input: Buffer): Remuxed | null {
  if (format === 'mp3') return remuxMp3(input);
  if (['m4a', 'mp4', 'mov', '3gp'].includes(format)) return remuxIsoBmff(input);
  return null;
}

export const KEPT = 'audio and video streams, copied without re-encoding';
const TRANSCODED =
  'audio and video, transcoded to H.264/AAC in MP4 (its frames could not be inspected)';

export class MediaSanitiser implements Sanitiser {
  readonly formats = (Object.keys(CONTAINERS) as Format[]).map((f) => FORMAT_MIME[f]);

  async sanitise(input: Buffer, ctx: SanitiseContext): Promise<SanitiseResult> {
    const format = detectFormat(input);
    const container = format === null ? undefined : CONTAINERS[format];
    const report: FileSanitiseReport = { format: container?.ext ?? 'media', removed: [], kept: [] };
    if (format === null || !container) {
      return { status: 'unsanitised', reason: 'UNSUPPORTED_FORMAT', report };
    }
    // MP3 and the MP4 family are cleaned in process (no ffmpeg start-up, no probes); what the
    // native path refuses, and every other container, goes through ffmpeg. Either way the
    // output is verified by exiftool before it counts as clean.
    const native = nativeRemux(format, input);
    const notes: string[] = [];
    if (native?.ok) {
      const found = videoFinding(native.data, container, null);
      const verdict = found
        ? { ok: false as const, leftover: [found] }
        : await verifyClean(native.data, container.ext, ctx, STRUCTURAL);
      if (verdict.ok) {
        const kept = [KEPT, ...(format === 'mp3' ? [XING_KEPT] : [])];
        const clean: FileSanitiseReport = { ...report, removed: native.removed, kept };
        return {
          status: 'clean',
          data: native.data,
          mime: container.mime,
          extension: container.ext,
          report: clean,
        };
      }
      notes.push(`native remux left ${verdict.leftover.join(', ')}; remuxed with ffmpeg instead`);
    } else if (native) {
      notes.push(`native remux declined (${native.why}); remuxed with ffmpeg instead`);
    }
    const result = await withFfmpeg(input, container, ctx, report);
    if (notes.length > 0) result.report.notes = [...notes, ...(result.report.notes ?? [])];
    return result;
  }
}

export const XING_KEPT = 'Xing/LAME header (frame count, seek table, encoder delay and padding)';

/**
 * What the video inspection finds in an output, or null. MP4-family files are read sample by
 * sample; in any other container (an Ogg with Theora, say) video cannot be read so, and is a
 * finding whenever ffprobe shows a video stream (`probed`: null for the native outputs, which
 * are MP3 or the MP4 family).
 */
function videoFinding(data: Buffer, c: Container, probed: Probe | null): string | null {
  if (c.demuxer === 'mov') return inspectVideoFile(data);
  const video = (probed?.streams ?? []).some(
    (s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1,
  );
  return video ? 'video in a container whose frames cannot be inspected' : null;
}

async function withFfmpeg(
  input: Buffer,
  container: Container,
  ctx: SanitiseContext,
  report: FileSanitiseReport,
): Promise<SanitiseResult> {
  const id = randomUUID();
  const output = container.transcodeTo ?? container;
  const inPath = join(ctx.tmpDir, `${id}-in.${container.ext}`);
  const outPath = join(ctx.tmpDir, `${id}-out.${output.ext}`);
  try {
    await writeFile(inPath, input, { mode: 0o600, flag: 'wx' });
    // One step after another: a probe failing while ffmpeg still ran could leave ffmpeg writing
    // its output after the cleanup below (and measured under load, overlapping them saved nothing).
    const before = await probe(inPath, container.demuxer);
    const limit = mediaLimit(before);
    if (limit) return { status: 'unsanitised', reason: limit, report };
    report.removed = describe(before);
    await run('ffmpeg', ffmpegArgs(container, inPath, outPath), { timeout: 600_000 });
    const after = await probe(outPath, output.demuxer);
    const data = await readFile(outPath);
    const [d0, d1] = [durationOf(before), durationOf(after)];
    if (d1 === undefined || (d0 !== undefined && Math.abs(d0 - d1) > 0.1)) {
      return { status: 'unsanitised', reason: 'DURATION_CHANGED', report };
    }
    report.kept = [container.transcodeTo ? TRANSCODED : KEPT];
    const found = videoFinding(data, output, after);
    const verdict = found
      ? { ok: false as const, leftover: [found] }
      : await verifyClean(
          data,
          output.ext,
          ctx,
          container.transcodeTo ? TRANSCODED_TAGS : STRUCTURAL,
        );
    if (!verdict.ok) {
      report.notes = [`left after cleaning: ${verdict.leftover.join(', ')}`];
      return { status: 'unsanitised', reason: 'VERIFY_FAILED', report };
    }
    return { status: 'clean', data, mime: output.mime, extension: output.ext, report };
  } catch {
    return { status: 'unsanitised', reason: 'TOOL_FAILED', report };
  } finally {
    await Promise.all([inPath, outPath].map((p) => unlink(p).catch(() => undefined)));
  }
}

function ffmpegArgs(c: Container, inPath: string, outPath: string): string[] {
  return [
    ...['-hide_banner', '-nostdin', '-v', 'error', '-protocol_whitelist', 'file'],
    ...['-f', c.demuxer, '-i', inPath],
    // Audio, and video that is not an attached picture (cover art): nothing else is mapped.
    ...['-map', '0:a?', '-map', '0:V?', '-dn', '-sn'],
    ...['-map_metadata', '-1', '-map_metadata:s', '-1', '-map_chapters', '-1'],
    ...(c.transcodeTo
      ? ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p']
      : ['-c', 'copy']),
    ...(c.transcodeTo ? ['-c:a', 'aac', '-b:a', '128k', '-f', 'mp4'] : []),
    ...['-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact'],
    // No ID3v2 header at all (ffmpeg would otherwise write an empty one), no ID3v1.
    ...(c.ext === 'mp3' ? ['-id3v2_version', '0', '-write_id3v1', '0'] : []),
    ...['-y', outPath],
  ];
}
