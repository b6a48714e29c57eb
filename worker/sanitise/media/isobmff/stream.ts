import { readBoxes, type TopBox } from './boxes';
import { planIsoBmff } from './plan';
import { TopLevelScanner, type HoldPolicy } from './scan';
import { videoSamples } from './video';
import { IsoBmffOutputCheck } from './verify';
import { Refused } from '../remux';
import type { OutputCheck, StreamPlan, Streamer } from '../stream.types';

// MP4/M4A/MOV/3GP cleaned as a stream in two forward passes (scan and plan, then write); memory
// is bounded by MOOV_MAX and the scanner's budget. See MEDIA.md.

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
    // Video whose samples the output check cannot read (isobmff/video.ts) is refused now,
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
