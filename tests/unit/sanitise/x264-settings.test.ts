import { isX264Settings, X264_MAX } from '../../../worker/sanitise/media/isobmff/x264';

// x264's settings SEI is the one user-data message let through (isobmff/x264.ts): only as x264
// writes it. Real strings from libx264 (core 164) under ffmpeg pass; text slipped in anywhere,
// an option twice, a word where x264 writes a number, or too long a whole, does not.

const UUID = Buffer.from('dc45e9bde6d948b7962cd820d923eeef', 'hex');
const HEAD =
  'x264 - core 164 r3095 baee400 - H.264/MPEG-4 AVC codec - Copyleft 2003-2022 - ' +
  'http://www.videolan.org/x264.html - options:';
const MEDIUM =
  ' cabac=1 ref=3 deblock=1:0:0 analyse=0x3:0x113 me=hex subme=7 psy=1 psy_rd=1.00:0.00' +
  ' mixed_ref=1 me_range=16 chroma_me=1 trellis=1 8x8dct=1 cqm=0 deadzone=21,11 fast_pskip=1' +
  ' chroma_qp_offset=4 threads=1 lookahead_threads=1 sliced_threads=0 nr=0 decimate=1' +
  ' interlaced=0 bluray_compat=0 constrained_intra=0 bframes=3 b_pyramid=2 b_adapt=1 b_bias=0' +
  ' direct=1 weightb=1 open_gop=0 weightp=2 keyint=250 keyint_min=10 scenecut=40' +
  ' intra_refresh=0 rc_lookahead=40 rc=crf mbtree=1 crf=23.0 qcomp=0.60 qpmin=0 qpmax=69' +
  ' qpstep=4 ip_ratio=1.40 aq=1:1.00';
const ULTRAFAST =
  ' cabac=0 ref=1 deblock=0:0:0 analyse=0:0 me=dia subme=0 psy=1 psy_rd=1.00:0.00 mixed_ref=0' +
  ' me_range=16 chroma_me=1 trellis=0 8x8dct=0 cqm=0 deadzone=21,11 fast_pskip=1' +
  ' chroma_qp_offset=6 threads=1 lookahead_threads=1 sliced_threads=0 nr=0 decimate=1' +
  ' interlaced=0 bluray_compat=0 constrained_intra=0 bframes=0 weightp=0 keyint=250' +
  ' keyint_min=10 scenecut=0 intra_refresh=0 rc=crf mbtree=0 crf=23.0 qcomp=0.60 qpmin=0' +
  ' qpmax=69 qpstep=4 ip_ratio=1.40 aq=0';

const payload = (options: string): Buffer =>
  Buffer.concat([UUID, Buffer.from(HEAD + options, 'latin1'), Buffer.from([0])]);

test("x264's own strings pass", () => {
  expect(isX264Settings(payload(MEDIUM))).toBe(true);
  expect(isX264Settings(payload(ULTRAFAST))).toBe(true);
  const hdr =
    ' nal_hrd=vbr filler=0 interlaced=tff keyint=infinite crop_rect=0,0,0,0 cll=1000,400' +
    ' mastering-display=G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,1)';
  expect(isX264Settings(payload(ULTRAFAST.replace(/ (interlaced|keyint)=\S+/g, '') + hdr))).toBe(
    true,
  );
});

test('anything x264 would not write is refused', () => {
  const refused = [
    `${MEDIUM} gps=37.5665,126.9780`, // not an x264 option
    `${MEDIUM} me=umh`, // an option twice
    `${MEDIUM} cabac`, // no value
    `${MEDIUM} =1`,
    `${MEDIUM}  `, // empty options
    MEDIUM.replace('me=hex', 'me=KimCholSu'), // a word not among x264's
    MEDIUM.replace('rc=crf', 'rc=Pyongyang'),
    MEDIUM.replace('threads=1', 'threads=GPS'), // letters in a number
    MEDIUM.replace('crf=23.0', 'crf=39.0392N'),
    MEDIUM.replace('deblock=1:0:0', 'deblock=1:0:0:2024:03:01'),
    `${MEDIUM} zones=0,100,q=20`, // a user's own string
    MEDIUM.replace('aq=1:1.00', 'aq=1:1.00\n2024-03-01'),
    MEDIUM.slice(1), // no space after "options:"
  ];
  for (const options of refused)
    expect([options, isX264Settings(payload(options))]).toEqual([options, false]);
  // Too long a whole, though each option is x264's and of its form (digits can spell too).
  const extra = [
    ...['slices', 'slices_max', 'slice_max_size', 'slice_max_mbs', 'slice_min_mbs', 'opencl'],
    ...['mbaff', 'stitchable', 'vbv_maxrate', 'vbv_bufsize', 'bitrate', 'qp', 'filler'],
    ...['frame-packing', 'fake_interlaced', 'ratetol', 'cplxblur', 'qblur', 'crf_max'],
  ].map((k) => ` ${k}=123456789`);
  expect(payload(MEDIUM + extra.join('')).length).toBeGreaterThan(X264_MAX);
  expect(isX264Settings(payload(MEDIUM + extra.slice(0, 10).join('')))).toBe(true);
  expect(isX264Settings(payload(MEDIUM + extra.join('')))).toBe(false);
  // Bytes after the NUL; another UUID.
  expect(isX264Settings(Buffer.concat([payload(MEDIUM), Buffer.from('MDPM')]))).toBe(false);
  const other = payload(MEDIUM);
  other[0] = other[0]! ^ 1;
  expect(isX264Settings(other)).toBe(false);
});
