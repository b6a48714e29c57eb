import { NalInspector } from '../../../worker/sanitise/isobmff.nal';

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
