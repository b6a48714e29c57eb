import { NalInspector } from './isobmff.nal';
import type { VideoSamples } from './isobmff.video';

// Every video sample of a streamed MP4-family output, inspected as the output is written
// (isobmff.verify.ts feeds it each written byte with its offset): one NalInspector per video
// track, a cursor over the samples in ascending order. The samples must lie after `from` (the
// media data's first byte) and all be seen by the end; anything else is a finding.

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
    // hvcC may hold SEI units too: its arrays are read as samples with 2-byte lengths.
    for (const run of v.configRuns) {
      const hevc = new NalInspector('hevc', 2);
      hevc.begin(run.end - run.start);
      hevc.push(moov.subarray(run.start, run.end));
      hevc.end();
      this.problem ??= hevc.problem && `codec configuration: ${hevc.problem}`;
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
