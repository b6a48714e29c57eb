// H.264 picture timing SEI passes only without clock timestamps (a camera's time of day);
// reading that needs the SPS's VUI timing fields. See MEDIA.md.

export interface TimingSyntax {
  /** cpb_removal_delay and dpb_output_delay lengths in bits, when the HRD is signalled. */
  delays: readonly [number, number] | null;
  picStruct: boolean;
}

/** A big-endian bit reader over RBSP bytes; reading past the end throws. */
class Bits {
  private at = 0;
  constructor(private readonly b: Buffer) {}

  u(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++, this.at++) {
      if (this.at >= this.b.length * 8) throw new RangeError('past the end');
      v = v * 2 + ((this.b[this.at >> 3]! >> (7 - (this.at & 7))) & 1);
    }
    return v;
  }

  ue(): number {
    let zeros = 0;
    while (this.u(1) === 0) if (++zeros > 31) throw new RangeError('Exp-Golomb code');
    return 2 ** zeros - 1 + this.u(zeros);
  }

  se(): number {
    const k = this.ue();
    return k % 2 === 1 ? (k + 1) / 2 : -k / 2;
  }

  /** Whether what is left is only alignment: nothing, or 0s, or a 1 then 0s, within a byte. */
  alignedEnd(): boolean {
    const k = this.b.length * 8 - this.at;
    if (k >= 8) return false;
    const rest = this.u(k);
    return rest === 0 || rest === 2 ** (k - 1);
  }
}

// Profiles whose SPS carries chroma format, bit depths and scaling matrices (7.3.2.1.1).
const HIGH = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

/** An SPS's id and timing syntax, or null if it cannot be read that far. */
export function spsTiming(rbsp: Buffer): { id: number; timing: TimingSyntax } | null {
  try {
    const r = new Bits(rbsp);
    const profile = r.u(8);
    r.u(16); // constraint flags, level
    const id = r.ue();
    if (id > 31) return null;
    if (HIGH.has(profile)) {
      const chroma = r.ue();
      if (chroma === 3) r.u(1); // separate colour planes
      r.ue(); // bit depths
      r.ue();
      r.u(1);
      if (r.u(1) === 1) {
        for (let i = 0; i < (chroma === 3 ? 12 : 8); i++)
          if (r.u(1) === 1) scalingList(r, i < 6 ? 16 : 64);
      }
    }
    r.ue(); // log2_max_frame_num_minus4
    const poc = r.ue();
    if (poc === 0) r.ue();
    else if (poc === 1) {
      r.u(1);
      r.se();
      r.se();
      const cycle = r.ue();
      if (cycle > 255) return null;
      for (let i = 0; i < cycle; i++) r.se();
    }
    r.ue(); // max_num_ref_frames
    r.u(1);
    r.ue(); // size in macroblocks
    r.ue();
    if (r.u(1) === 0) r.u(1); // frame_mbs_only_flag, mb_adaptive_frame_field_flag
    r.u(1);
    if (r.u(1) === 1) for (let i = 0; i < 4; i++) r.ue(); // cropping
    if (r.u(1) === 0) return { id, timing: { delays: null, picStruct: false } };
    return { id, timing: vuiTiming(r) };
  } catch {
    return null;
  }
}

function scalingList(r: Bits, size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) next = (last + r.se() + 256) % 256;
    last = next === 0 ? last : next;
  }
}

/** The VUI (E.1.1) up to pic_struct_present_flag. */
function vuiTiming(r: Bits): TimingSyntax {
  if (r.u(1) === 1 && r.u(8) === 255) r.u(32); // aspect ratio, extended SAR
  if (r.u(1) === 1) r.u(1); // overscan
  if (r.u(1) === 1) {
    r.u(4); // video format, full range
    if (r.u(1) === 1) r.u(24); // colour description
  }
  if (r.u(1) === 1) {
    r.ue(); // chroma sample location
    r.ue();
  }
  if (r.u(1) === 1) {
    r.u(32); // timing info
    r.u(32);
    r.u(1);
  }
  const nal = r.u(1) === 1 ? hrdDelays(r) : null;
  const vcl = r.u(1) === 1 ? hrdDelays(r) : null;
  if (nal && vcl && (nal[0] !== vcl[0] || nal[1] !== vcl[1])) throw new RangeError('HRD');
  if (nal || vcl) r.u(1); // low_delay_hrd_flag
  return { delays: nal ?? vcl, picStruct: r.u(1) === 1 };
}

function hrdDelays(r: Bits): [number, number] {
  const count = r.ue();
  if (count > 31) throw new RangeError('cpb_cnt');
  r.u(8); // bit rate and CPB size scales
  for (let i = 0; i <= count; i++) {
    r.ue();
    r.ue();
    r.u(1);
  }
  r.u(5); // initial_cpb_removal_delay_length_minus1
  const cpb = r.u(5) + 1;
  const dpb = r.u(5) + 1;
  r.u(5); // time_offset_length
  return [cpb, dpb];
}

// Clock timestamps per pic_struct value (Table D-1); above 8 is reserved.
const CLOCKS = [1, 1, 1, 2, 2, 3, 3, 2, 3];

/** Whether a picture timing payload, read with `t`, has no clock timestamp and nothing else. */
export function picTimingWithoutClock(payload: Buffer, t: TimingSyntax): boolean {
  try {
    const r = new Bits(payload);
    if (t.delays) {
      r.u(t.delays[0]);
      r.u(t.delays[1]);
    }
    if (t.picStruct) {
      const clocks = CLOCKS[r.u(4)];
      if (clocks === undefined) return false;
      for (let i = 0; i < clocks; i++) if (r.u(1) === 1) return false;
    }
    return r.alignedEnd();
  } catch {
    return false;
  }
}
