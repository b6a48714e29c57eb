import { spsTiming } from '../../../worker/sanitise/media/isobmff/h264-timing';
import { NalInspector } from '../../../worker/sanitise/media/isobmff/nal';

// The NAL unit reader of the streamed video inspection, on hand-made samples: what it must
// find (SEI user data, in H.264 and HEVC, across emulation prevention bytes and any cut of
// the bytes), and what it must let pass (other SEI messages, ordinary units).

const CAMERA_UUID = Buffer.from('17ee8c60f84d11d98cd60800200c9a66', 'hex');

/** A sample of `units`, each behind a 4-byte length. */
const sample = (...units: Buffer[]): Buffer =>
  Buffer.concat(
    units.flatMap((u) => {
      const length = Buffer.alloc(4);
      length.writeUInt32BE(u.length);
      return [length, u];
    }),
  );

const userData = (header: number[], text: string): Buffer => {
  const body = Buffer.concat([CAMERA_UUID, Buffer.from(text, 'latin1')]);
  return Buffer.concat([Buffer.from([...header, 5, body.length]), body, Buffer.from([0x80])]);
};

/** Inspects `b` as one sample, pushed `step` bytes at a time. */
function inspect(codec: 'h264' | 'hevc', b: Buffer, step: number): string | null {
  const n = new NalInspector(codec, 4);
  n.begin(b.length);
  for (let at = 0; at < b.length; at += step) n.push(b.subarray(at, at + step));
  n.end();
  return n.problem;
}

const steps = [1, 3, 1000];
const slice = Buffer.from([0x65, 0x88, 0x84, 0x00, 0x00, 0x03, 0x01, 0xff]); // an IDR slice

test('H.264: user data after a slice is found, however the bytes are cut', () => {
  const b = sample(slice, userData([0x06], 'MDPM 2024:03:01 GPS'));
  for (const step of steps) expect(inspect('h264', b, step)).toBe('SEI user data');
});

test('emulation prevention bytes are removed before message headers are read', () => {
  // A recovery point message whose payload holds 00 00 01: written 00 00 03 01. Read with the
  // 03 left in, its size would be off by one and the user data after it misread.
  const recovery = Buffer.from([0x06, 0x06, 0x03, 0x00, 0x00, 0x03, 0x01]);
  const sei = Buffer.concat([recovery, userData([], 'MDPM').subarray(0)]);
  for (const step of steps) {
    expect(inspect('h264', sample(sei), step)).toBe('SEI user data');
    expect(inspect('h264', sample(Buffer.concat([recovery, Buffer.from([0x80])])), step)).toBe(
      null,
    );
  }
});

test('HEVC: user data in a prefix or suffix SEI unit is found; slices pass', () => {
  const hevcSlice = Buffer.from([0x26, 0x01, 0xaf, 0x00, 0x00, 0x03, 0x02]);
  for (const step of steps) {
    expect(inspect('hevc', sample(hevcSlice), step)).toBe(null);
    expect(inspect('hevc', sample(userData([0x4e, 0x01], 'GPS')), step)).toBe('SEI user data');
    expect(inspect('hevc', sample(hevcSlice, userData([0x50, 0x01], 'GPS')), step)).toBe(
      'SEI user data',
    );
    // The same first byte, in H.264, is unit type 14: not SEI.
    expect(inspect('h264', sample(userData([0x4e], 'GPS')), step)).toBe(null);
  }
});

test('a sample that is not length-prefixed units is a finding', () => {
  const b = sample(slice);
  b.writeUInt32BE(slice.length + 1, 0);
  expect(inspect('h264', b, 1000)).toBe('video sample that is not NAL units');
  expect(inspect('h264', Buffer.concat([sample(slice), Buffer.from([0, 0])]), 1000)).toBe(
    'video sample that is not NAL units',
  );
});

/** An H.264 SEI unit of one message (type, payload), with its trailing bits. */
const h264Sei = (type: number, payload: Buffer): Buffer =>
  Buffer.concat([Buffer.from([0x06, type, payload.length]), payload, Buffer.from([0x80])]);
/** The same as an HEVC prefix SEI unit. */
const hevcSei = (type: number, payload: Buffer): Buffer =>
  Buffer.concat([Buffer.from([0x4e, 0x01, type, payload.length]), payload, Buffer.from([0x80])]);
const text = Buffer.from('Kim Chol Su 39.03N 125.75E', 'latin1');
const hevcIdr = Buffer.from([0x26, 0x01, 0xaf, 0x00, 0x00, 0x03, 0x02]);

/** The finding for `b`, which must be the same however the bytes are cut. */
function found(codec: 'h264' | 'hevc', b: Buffer): string | null {
  const all = steps.map((step) => inspect(codec, b, step));
  expect(new Set(all).size).toBe(1);
  return all[0]!;
}

test('H.264: NAL unit types off the allowlist (reserved, unspecified) are findings', () => {
  for (const type of [0, 17, 18, 22, 23, ...Array.from({ length: 8 }, (_, i) => 24 + i)]) {
    const unit = Buffer.concat([Buffer.from([0x60 | type]), text]);
    expect(found('h264', sample(slice, unit))).toBe(
      `video NAL unit of a type not allowed (${type})`,
    );
  }
  // Structural units pass: SPS, PPS, AUD, end of sequence and stream, slice extension.
  const sps = Buffer.from([0x67, 0x42, 0xc0, 0x0a, 0xd9, 0x1f, 0x80]);
  const pps = Buffer.from([0x68, 0xce, 0x3c, 0x80]);
  const aud = Buffer.from([0x09, 0xf0]);
  expect(
    found('h264', sample(aud, sps, pps, slice, Buffer.from([0x0a]), Buffer.from([0x0b]))),
  ).toBe(null);
  expect(found('h264', sample(Buffer.from([0x74, 0x81, 0x00, 0x00, 0x12]), slice))).toBe(null);
});

test('HEVC: NAL unit types off the allowlist are findings; structural ones pass', () => {
  const refused = [10, 15, 22, 23, 24, 31, 41, 47, 48, 62, 63];
  for (const type of refused) {
    const unit = Buffer.concat([Buffer.from([type << 1, 0x01]), text]);
    expect(found('hevc', sample(hevcIdr, unit))).toBe(
      `video NAL unit of a type not allowed (${type})`,
    );
  }
  const vps = Buffer.from([0x40, 0x01, 0x0c, 0x01, 0xff, 0xff]);
  const aud = Buffer.from([0x46, 0x01, 0x50]);
  const eos = Buffer.from([0x48, 0x01]);
  const trail = Buffer.from([0x02, 0x01, 0xd0, 0x2a]); // TRAIL_R
  expect(found('hevc', sample(aud, vps, hevcIdr, trail, eos))).toBe(null);
});

test('filler units hold 0xFF bytes and their trailing bits, nothing else', () => {
  const filler = (first: number[], body: Buffer): Buffer =>
    Buffer.concat([Buffer.from(first), body, Buffer.from([0x80])]);
  const ff = Buffer.alloc(40, 0xff);
  expect(found('h264', sample(slice, filler([0x0c], ff)))).toBe(null);
  expect(found('hevc', sample(hevcIdr, filler([0x4c, 0x01], ff)))).toBe(null);
  expect(found('h264', sample(slice, filler([0x0c], Buffer.concat([ff, text]))))).toBe(
    'video filler unit that is not filler',
  );
  expect(found('hevc', sample(filler([0x4c, 0x01], text)))).toBe(
    'video filler unit that is not filler',
  );
});

test('delimiters and end markers have their fixed size: no bytes carried after them', () => {
  expect(found('h264', sample(Buffer.concat([Buffer.from([0x09, 0xf0]), text])))).toBe(
    'video NAL unit of type 9 not of its fixed size',
  );
  expect(found('h264', sample(Buffer.concat([Buffer.from([0x0b]), text])))).toBe(
    'video NAL unit of type 11 not of its fixed size',
  );
  expect(found('hevc', sample(Buffer.concat([Buffer.from([0x4a, 0x01]), text])))).toBe(
    'video NAL unit of type 37 not of its fixed size',
  );
});

test('SEI: registered user data, nesting, clock times and unknown types are findings', () => {
  const t35 = Buffer.concat([Buffer.from([0xb5, 0x00, 0x31]), text]);
  expect(found('h264', sample(h264Sei(4, t35), slice))).toBe('SEI user data');
  expect(found('hevc', sample(hevcSei(4, t35), hevcIdr))).toBe('SEI user data');
  // A nesting message wraps others (here user data): not read into, so refused whole.
  const nested = Buffer.concat([Buffer.from([0x80, 5, 16 + text.length]), CAMERA_UUID, text]);
  expect(found('h264', sample(h264Sei(30, nested), slice))).toBe('SEI nesting');
  expect(found('hevc', sample(hevcSei(133, nested), hevcIdr))).toBe('SEI nesting');
  // H.264 picture timing with no SPS seen to read it by; HEVC's time code.
  const clock = 'SEI timing that can hold a clock time';
  expect(found('h264', sample(h264Sei(1, Buffer.from([0x32])), slice))).toBe(clock);
  expect(found('hevc', sample(hevcSei(136, Buffer.from([0x5f, 0x12, 0x34])), hevcIdr))).toBe(clock);
  for (const type of [8, 9, 24, 200]) {
    expect(found('h264', sample(h264Sei(type, text), slice))).toBe(
      `SEI message of a type not allowed (${type})`,
    );
  }
  // User data in HEVC, even under x264's UUID: x264 writes H.264 only.
  const x264 = Buffer.from('dc45e9bde6d948b7962cd820d923eeef', 'hex');
  expect(found('hevc', sample(hevcSei(5, Buffer.concat([x264, text])), hevcIdr))).toBe(
    'SEI user data',
  );
});

test('SEI: messages of numbers with a fixed meaning pass; filler payloads only as filler', () => {
  const units = [
    h264Sei(0, Buffer.from([0x80])), // buffering period
    h264Sei(6, Buffer.from([0x84])), // recovery point
    h264Sei(137, Buffer.alloc(24, 0x11)), // mastering display
    h264Sei(144, Buffer.from([0x03, 0xe8, 0x01, 0x90])), // content light level
    h264Sei(3, Buffer.alloc(10, 0xff)), // filler payload
  ];
  expect(found('h264', sample(...units, slice))).toBe(null);
  expect(found('hevc', sample(hevcSei(1, Buffer.from([0x10])), hevcIdr))).toBe(null); // timing
  expect(found('hevc', sample(hevcIdr, hevcSei(132, Buffer.alloc(17, 0x22))))).toBe(null); // hash
  expect(found('h264', sample(h264Sei(3, Buffer.concat([Buffer.alloc(4, 0xff), text]))))).toBe(
    'SEI filler payload that is not filler',
  );
  // Longer than its syntax: room for something else.
  expect(found('h264', sample(h264Sei(6, Buffer.concat([Buffer.from([0x84]), text]))))).toBe(
    'SEI message of type 6 too long',
  );
  expect(found('hevc', sample(hevcSei(144, Buffer.alloc(5, 1)), hevcIdr))).toBe(
    'SEI message of type 144 too long',
  );
});

test('an SEI unit must end with its trailing bits', () => {
  const cut = h264Sei(6, Buffer.from([0x84])).subarray(0, -1);
  expect(found('h264', sample(cut, slice))).toBe('SEI message cut short');
  // A message claiming more payload than its unit holds.
  const long = Buffer.from([0x06, 0x00, 0x20, 0x84, 0x80]);
  expect(found('h264', sample(long, slice))).toBe('SEI message cut short');
});

/** RBSP bytes with emulation prevention added: 00 00 0x (x ≤ 3) written 00 00 03 0x. */
function escape(rbsp: Buffer): Buffer {
  const out: number[] = [];
  let zeros = 0;
  for (const x of rbsp) {
    if (zeros >= 2 && x <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(x);
    zeros = x === 0 ? zeros + 1 : 0;
  }
  return Buffer.from(out);
}

/** An SPS's RBSP (after its header byte) with seq_parameter_set_id 0 made `id` (below 7). */
function withId(rbsp: Buffer, id: number): Buffer {
  const bits = [...rbsp].map((x) => x.toString(2).padStart(8, '0')).join('');
  const code = (id + 1).toString(2).padStart(2 * (id + 1).toString(2).length - 1, '0');
  const moved = bits.slice(0, 24) + code + bits.slice(25);
  return Buffer.from(
    moved
      .padEnd(Math.ceil(moved.length / 8) * 8, '0')
      .match(/.{8}/g)!
      .map((b) => parseInt(b, 2)),
  );
}

test('H.264 picture timing is read with the SPS seen: a clock timestamp is a finding', () => {
  // x264's SPSs (RBSP) for an interlaced stream (pic_struct present) and one with an HRD.
  const interlaced = Buffer.from('f40015919b2889f89c04400000004000000507c50a6580', 'hex');
  const hrd = Buffer.from('f4000a919b288f60220000000200000028c0800c340030d5359403c4896580', 'hex');
  const sps = (rbsp: Buffer) => Buffer.concat([Buffer.from([0x67]), escape(rbsp)]);
  const clear = h264Sei(1, Buffer.from([0x32])); // pic_struct 3, both clock flags 0
  const clock = h264Sei(1, Buffer.from([0x3c, 0x12, 0x34, 0x56, 0x78]));
  expect(found('h264', sample(sps(interlaced), clear, slice))).toBe(null);
  expect(found('h264', sample(sps(interlaced), clock, slice))).toBe(
    'SEI timing that can hold a clock time',
  );
  expect(spsTiming(withId(hrd, 1))).toEqual({
    id: 1,
    timing: { delays: [12, 6], picStruct: false },
  });
  expect(spsTiming(withId(interlaced, 1))?.id).toBe(1);
  // The same SPS under another id: they agree. One whose timing syntax differs: which applies
  // only the slices say, so the message is not read.
  expect(found('h264', sample(sps(interlaced), sps(withId(interlaced, 1)), clear))).toBe(null);
  expect(found('h264', sample(sps(interlaced), sps(withId(hrd, 1)), clear))).toBe(
    'SEI timing that can hold a clock time',
  );
  // An SPS that cannot be read (cut short) leaves no way to read timing either.
  expect(found('h264', sample(sps(interlaced.subarray(0, 10)), clear))).toBe(
    'SEI timing that can hold a clock time',
  );
});
