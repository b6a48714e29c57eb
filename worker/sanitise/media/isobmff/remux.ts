import { readBoxes } from './boxes';
import { planIsoBmff } from './plan';
import { refusal, type Remuxed } from '../remux';

// Native MP4/M4A/MOV/3GP cleaning of a file held in memory, from the plan (plan.ts); what the
// plan refuses, the caller hands to ffmpeg.

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
