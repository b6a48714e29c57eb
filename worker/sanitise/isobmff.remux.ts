import { readBoxes } from './isobmff.boxes';
import { planIsoBmff } from './isobmff.plan';
import { refusal, type Remuxed } from './remux';

// Native MP4/M4A/MOV/3GP cleaning (ISO BMFF and QuickTime) of a file held in memory, without a
// subprocess: the layout is planned from the top-level boxes (isobmff.plan.ts says what is kept
// and dropped) and the output assembled from the planned ranges. What the plan refuses, the
// caller hands to ffmpeg. Files too large to hold go through media.stream.ts instead, which
// copies the same ranges from a stream.

export function remuxIsoBmff(b: Buffer): Remuxed {
  try {
    const tops = readBoxes(b, 0, b.length).map((t) =>
      t.type === 'mdat' ? t : { ...t, bytes: b.subarray(t.start, t.end) },
    );
    const plan = planIsoBmff(tops);
    const data = Buffer.concat([plan.head, ...plan.ranges.map((r) => b.subarray(r.start, r.end))]);
    return { ok: true, data, removed: plan.removed };
  } catch (e) {
    return refusal(e);
  }
}
