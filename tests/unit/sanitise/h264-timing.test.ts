import {
  picTimingWithoutClock,
  spsTiming,
} from '../../../worker/sanitise/media/isobmff/h264-timing';

// H.264 picture timing passes only without clock timestamps, read with the timing syntax of the
// SPS (isobmff/h264-timing.ts). The SPSs are x264's (through ffmpeg), emulation prevention removed:
// with the HRD signalled (nal-hrd=vbr), interlaced (tff: pic_struct present), and neither.

const rbsp = (hex: string): Buffer => Buffer.from(hex, 'hex');
const HRD = rbsp('f4000a919b288f60220000000200000028c0800c340030d5359403c4896580');
const INTERLACED = rbsp('f40015919b2889f89c04400000004000000507c50a6580');
const PLAIN = rbsp('f4000a919b288f602200000002000000281e244b2c');

test('the SPS timing syntax: HRD delay lengths, pic_struct present or not', () => {
  expect(spsTiming(HRD)).toEqual({ id: 0, timing: { delays: [12, 6], picStruct: false } });
  expect(spsTiming(INTERLACED)).toEqual({ id: 0, timing: { delays: null, picStruct: true } });
  expect(spsTiming(PLAIN)).toEqual({ id: 0, timing: { delays: null, picStruct: false } });
  // Cut short: not read (a timing message is then a finding).
  expect(spsTiming(INTERLACED.subarray(0, 12))).toBeNull();
});

test("x264's timing messages pass; a clock timestamp, or anything after, does not", () => {
  const hrd = spsTiming(HRD)!.timing;
  const interlaced = spsTiming(INTERLACED)!.timing;
  // What x264 wrote: 12 + 6 bits of delays then alignment; pic_struct 3 and two clear flags.
  expect(picTimingWithoutClock(rbsp('000120'), hrd)).toBe(true);
  expect(picTimingWithoutClock(rbsp('32'), interlaced)).toBe(true);
  // pic_struct 3 with its first clock timestamp flag set: hours, minutes, seconds follow.
  expect(picTimingWithoutClock(rbsp('3c12345678'), interlaced)).toBe(false);
  expect(picTimingWithoutClock(rbsp('3a12345678'), interlaced)).toBe(false); // the second
  expect(picTimingWithoutClock(rbsp('90'), interlaced)).toBe(false); // pic_struct 9: reserved
  // Bytes past the syntax and its alignment: room for anything.
  expect(picTimingWithoutClock(rbsp('3241'), interlaced)).toBe(false);
  expect(picTimingWithoutClock(rbsp('00012041'), hrd)).toBe(false);
  expect(picTimingWithoutClock(rbsp('37'), interlaced)).toBe(false); // not alignment bits
  expect(picTimingWithoutClock(rbsp(''), hrd)).toBe(false); // cut short
});
