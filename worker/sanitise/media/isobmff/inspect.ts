import { readBoxes } from './boxes';
import { NalInspector } from './nal';
import { videoSamples, type VideoSamples } from './video';
import { Refused } from '../remux';

// Every video sample of a streamed MP4-family output, inspected as the output is written:
// one NalInspector per video track, a cursor over the samples in ascending order.

export class VideoInspection {
  private readonly inspectors: NalInspector[];
  private next = 0;
  /** The sample being read, or -1 between samples. */
  private current = -1;
  private problem: string | null = null;

  constructor(
    private readonly v: VideoSamples,
    moov: Buffer,
    from: number,
  ) {
    this.inspectors = v.tracks.map((t) => new NalInspector(t.codec, t.lengthSize));
    if (v.starts.length > 0 && v.starts[0]! < from)
      this.problem = 'video sample outside media data';
    // avcC and hvcC hold NAL units too (hvcC SEI: x265 writes its settings there): their
    // arrays are read as samples with 2-byte lengths, by the track's own inspector, which keeps
    // what the parameter sets say for its samples.
    for (const run of v.configRuns) {
      const units = this.inspectors[run.track]!;
      units.begin(run.end - run.start, 2);
      units.push(moov.subarray(run.start, run.end));
      units.end();
      this.problem ??= units.problem && `codec configuration: ${units.problem}`;
    }
  }

  /** `chunk` is the output's bytes from offset `at`. */
  push(chunk: Buffer, at: number): void {
    const { starts, sizes, track } = this.v;
    const end = at + chunk.length;
    while (this.problem === null) {
      if (this.current < 0) {
        if (this.next === starts.length || starts[this.next]! >= end) return;
        this.current = this.next++;
        this.inspectors[track[this.current]!]!.begin(sizes[this.current]!);
      }
      const s = this.current;
      const stop = starts[s]! + sizes[s]!;
      const inspector = this.inspectors[track[s]!]!;
      const from = Math.max(starts[s]!, at);
      inspector.push(chunk.subarray(from - at, Math.min(stop, end) - at));
      if (stop > end) {
        this.problem = inspector.problem && `video sample ${s + 1}: ${inspector.problem}`;
        return;
      }
      inspector.end();
      if (inspector.problem !== null) this.problem = `video sample ${s + 1}: ${inspector.problem}`;
      this.current = -1;
    }
  }

  /** What was found, or null; called once the whole output has been pushed. */
  finish(): string | null {
    if (this.problem === null && (this.current >= 0 || this.next < this.v.starts.length)) {
      return 'video sample past the end of the media data';
    }
    return this.problem;
  }
}

/**
 * The same inspection over a whole MP4-family file held in memory (the native remux's output,
 * or ffmpeg's): one movie box, one media data box holding every video sample. What was found,
 * or null; a file that cannot be read this way is a finding.
 */
export function inspectVideoFile(file: Buffer): string | null {
  try {
    const tops = readBoxes(file, 0, file.length);
    const moovs = tops.filter((t) => t.type === 'moov');
    const mdats = tops.filter((t) => t.type === 'mdat');
    if (moovs.length !== 1 || mdats.length > 1) return 'video: not one movie and its media data';
    const moov = file.subarray(moovs[0]!.start, moovs[0]!.end);
    const samples = videoSamples(moov);
    if (samples.starts.length === 0 && samples.configRuns.length === 0) return null;
    const mdat = mdats[0];
    if (!mdat) return 'video sample past the end of the media data';
    const inspection = new VideoInspection(samples, moov, mdat.body);
    inspection.push(file.subarray(0, mdat.end), 0);
    return inspection.finish();
  } catch (e) {
    return e instanceof Refused ? `video: ${e.message}` : 'video: unreadable';
  }
}
