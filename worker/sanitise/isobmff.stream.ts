import { readBoxes, type TopBox } from './isobmff.boxes';
import { planIsoBmff } from './isobmff.plan';
import { TopLevelScanner, type HoldPolicy } from './isobmff.scan';
import { videoSamples } from './isobmff.video';
import { IsoBmffOutputCheck } from './isobmff.verify';
import { Refused } from './remux';
import type { OutputCheck, StreamPlan, Streamer } from './stream.types';

// MP4/M4A/MOV/3GP cleaned as a stream, for files too large to hold: two forward passes.
// 1. The top-level boxes are walked; the moov (wherever it is: phones often write it last),
//    ftyp, and small meta/udta boxes (for the report) are held, media data only located. The
//    same planner as the in-memory path (isobmff.plan.ts) lays out the output.
// 2. The output's head (ftyp, moov, mdat header) is written, then the planned input ranges,
//    which are ascending, as the pass reaches them. Video in a codec whose samples cannot be
//    inspected on the way (isobmff.verify.ts) is refused before that.
// Memory: the held boxes are capped (MOOV_MAX, and the scanner's total budget). The plan's
// chunk tables grow with the moov, not with the media data: about 120 bytes per chunk, so even
// a hostile 16 MiB moov of 4-byte offsets stays near half a gigabyte (what SANITISE_MAX_BYTES
// already allows a file held whole), while a phone's 2 GB video has a moov of a few MB. A moov
// over the cap is refused and the file held back.

const MOOV_MAX = 16 * 1024 * 1024;
const XMP_UUID_HEAD = 32; // a uuid's header (at most 16 bytes) and its 16-byte id

const hold: HoldPolicy = (type, size, left) => {
  if (type === 'moov') {
    if (size > Math.min(MOOV_MAX, left)) throw new Refused('movie box too large to hold');
    return size;
  }
  if (type === 'uuid') return XMP_UUID_HEAD;
  // Others only from what the budget has beyond a moov's worth; past that, counted unread.
  if (['ftyp', 'meta', 'udta'].includes(type) && size <= left - MOOV_MAX) return size;
  return 0;
};

export class IsoBmffStreamer implements Streamer {
  private readonly scanner: TopLevelScanner;

  constructor(private readonly size: number) {
    this.scanner = new TopLevelScanner(size, hold);
  }

  push(chunk: Buffer): void {
    this.scanner.push(chunk);
  }

  async plan(pass: () => AsyncIterable<Buffer>): Promise<StreamPlan> {
    const tops: TopBox[] = this.scanner.finish();
    const plan = planIsoBmff(tops);
    for (const t of tops) t.bytes?.fill(0);
    // Video whose samples the output check cannot read (isobmff.video.ts) is refused now,
    // before anything is written, rather than found after.
    videoSamples(movieOf(plan.head));
    return {
      size: plan.size,
      removed: plan.removed,
      write: async (emit) => {
        await emit(plan.head);
        const ranges = plan.ranges;
        let r = 0;
        let at = 0;
        for await (const chunk of pass()) {
          if (r === ranges.length) break;
          const end = at + chunk.length;
          while (r < ranges.length && ranges[r]!.start < end) {
            const { start, end: stop } = ranges[r]!;
            const from = Math.max(start, at);
            const to = Math.min(stop, end);
            if (to > from) await emit(chunk.subarray(from - at, to - at));
            if (stop > end) break;
            r++;
          }
          at = end;
        }
        if (r !== ranges.length) throw new Refused('media data past the end');
      },
    };
  }

  check(outputSize: number): OutputCheck {
    return new IsoBmffOutputCheck(outputSize);
  }
}

/** The moov of a planned output's head (ftyp, moov, then the mdat header). */
function movieOf(head: Buffer): Buffer {
  let at = 0;
  for (;;) {
    const [top] = readBoxes(head, at, at + head.readUInt32BE(at));
    if (top!.type === 'moov') return head.subarray(top!.start, top!.end);
    at = top!.end;
  }
}
