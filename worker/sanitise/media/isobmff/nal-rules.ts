import type { Codec } from './video';

// The allowlists nal.ts reads NAL units against: unit types that are picture data or its
// structure, and SEI messages that carry only numbers with a fixed meaning.

export type UnitRule = 'skip' | 'sei' | 'sps' | 'filler' | { size: number };

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** What each allowed NAL unit type is, by codec (types by H.264 Table 7-1, HEVC Table 7-1). */
export const UNIT_RULES: Record<Codec, ReadonlyMap<number, UnitRule>> = {
  h264: new Map<number, UnitRule>([
    // Slices and partitions (1-5), PPS 8, SPS extension 13, prefix 14, subset SPS 15, depth
    // parameter set 16, auxiliary slice 19, slice extensions 20 and 21 (SVC, MVC, 3D).
    ...[...range(1, 5), 8, 13, 14, 15, 16, 19, 20, 21].map((t): [number, UnitRule] => [t, 'skip']),
    [6, 'sei'],
    [7, 'sps'], // read for its timing syntax, which picture timing messages need
    [9, { size: 2 }], // access unit delimiter: primary_pic_type and the trailing bits
    [10, { size: 1 }], // end of sequence
    [11, { size: 1 }], // end of stream
    [12, 'filler'],
  ]),
  hevc: new Map<number, UnitRule>([
    // Slices of every picture kind (0-9, 16-21); VPS, SPS, PPS (32-34).
    ...[...range(0, 9), ...range(16, 21), 32, 33, 34].map((t): [number, UnitRule] => [t, 'skip']),
    [35, { size: 3 }], // access unit delimiter: pic_type and the trailing bits
    [36, { size: 2 }], // end of sequence
    [37, { size: 2 }], // end of bitstream
    [38, 'filler'],
    [39, 'sei'], // prefix
    [40, 'sei'], // suffix
  ]),
};

/**
 * SEI payload types whose syntax is numbers with a fixed meaning (nothing free to write), each
 * with a bound on its size where the syntax is short: the most its fields take, Exp-Golomb
 * codes at their longest, with some room (a longer payload would be room for something else).
 * Infinity where the syntax itself can run long.
 */
const SEI_COMMON: [number, number][] = [
  [0, Infinity], // buffering period (one pair of delays per CPB)
  [2, 128], // pan-scan rectangle
  [6, 8], // recovery point
  [16, 20], // progressive refinement segment start
  [17, 20], // and end
  [19, Infinity], // film grain characteristics
  [22, Infinity], // post-filter hint (filter coefficients)
  [23, Infinity], // tone mapping (a curve)
  [45, 24], // frame packing arrangement
  [47, 8], // display orientation
  [137, 24], // mastering display colour volume
  [144, 4], // content light level
  [147, 1], // alternative transfer characteristics
  [148, 8], // ambient viewing environment
];
export const SEI_H264 = new Map<number, number>([
  ...SEI_COMMON,
  [7, Infinity], // decoded reference picture marking repetition
  [13, 8], // full-frame freeze
  [14, 0], // and its release
  [20, 8], // deblocking filter display preference
]);
export const SEI_HEVC = new Map<number, number>([
  ...SEI_COMMON,
  [1, Infinity], // pic_timing: in HEVC structure and delays only (clock times are time_code's)
  [128, Infinity], // structure of pictures
  [129, 64], // active parameter sets
  [130, 32], // decoding unit info
  [131, 2], // temporal sub-layer zero index
  [132, 49], // decoded picture hash: MD5 of three planes at most, and its type
  [134, 1], // region refresh
  [135, 0], // no display
]);

export const CLOCK = 'SEI timing that can hold a clock time';
export const USER_DATA_UNREGISTERED = 5;

/** What an SEI message outside the allowlist is called in a finding: its kind, never a value. */
export function seiFinding(codec: Codec, type: number): string {
  if (type === 4 || type === USER_DATA_UNREGISTERED) return 'SEI user data';
  if (type === (codec === 'h264' ? 30 : 133)) return 'SEI nesting';
  if (codec === 'hevc' && type === 136) return CLOCK; // time_code
  return `SEI message of a type not allowed (${type})`;
}
