import type { Container } from './formats';
import type { Probe } from './ffprobe';
import { inspectVideoFile } from './isobmff/inspect';

/**
 * What the video inspection finds in an output, or null. MP4-family files are read sample by
 * sample; in any other container (an Ogg with Theora, say) video cannot be read so, and is a
 * finding whenever ffprobe shows a video stream (`probed`: null for the native outputs, which
 * are MP3 or the MP4 family).
 */
export function videoFinding(data: Buffer, c: Container, probed: Probe | null): string | null {
  if (c.demuxer === 'mov') return inspectVideoFile(data);
  const video = (probed?.streams ?? []).some(
    (s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1,
  );
  return video ? 'video in a container whose frames cannot be inspected' : null;
}
