import type { Codec } from './isobmff.video';

// The NAL units of one H.264 or HEVC sample, read as its bytes stream past, looking for what
// exiftool -ee3 reads in the in-memory path and a stream's bounded skeleton cannot show it:
// SEI messages of payload type 5 (user_data_unregistered), where Sony, Panasonic and Canon
// cameras write MDPM records (recording date, GPS, camera model) and others their own data.
// Any such message is a finding, except x264's encoder-settings string (a fixed UUID followed
// by text of a known shape, which every ffmpeg-made H.264 file carries; see isX264Settings).
//
// A sample is [length][NAL unit]… to its last byte; one that does not parse that way is a
// finding too. Only the SEI message headers and, for a UUID that may be x264's, at most
// X264_MAX bytes of payload are held: memory stays bounded whatever the sample's size.

const X264_UUID = Buffer.from('dc45e9bde6d948b7962cd820d923eeef', 'hex');
const X264_MAX = 4096;
const USER_DATA_UNREGISTERED = 5;
const TRAILING_BITS = 0x80;

type State =
  | 'length' // reading a NAL unit's length
  | 'header' // its first byte(s)
  | 'skip' // a unit of no interest, to its end
  | 'type' // an SEI message's payload type
  | 'size' // its payload size
  | 'payload'; // its payload

export class NalInspector {
  private state: State = 'length';
  private value = 0;
  private count = 0;
  /** Bytes of the current unit (after its length) still to come. */
  private left = 0;
  private sample = 0;
  private zeros = 0;
  private payloadType = 0;
  private payloadLeft = 0;
  private held: Buffer | null = null;
  private heldBytes = 0;
  private sei = false;
  /** The first thing found, a description without any value; null while none. */
  problem: string | null = null;

  constructor(
    private readonly codec: Codec,
    private readonly lengthSize: number,
  ) {}

  /** Starts a new sample of `size` bytes (the previous one must have ended on a unit). */
  begin(size: number): void {
    this.sample = size;
    this.state = 'length';
    this.value = 0;
    this.count = 0;
  }

  /** Bytes of the current sample, in order. */
  push(b: Buffer): void {
    for (let i = 0; i < b.length && this.problem === null;) {
      if (this.state === 'skip') {
        const n = Math.min(this.left, b.length - i);
        this.left -= n;
        this.sample -= n;
        i += n;
        if (this.left === 0) this.endUnit();
        continue;
      }
      this.sample--;
      this.byte(b[i++]!);
    }
  }

  /** The sample's last byte has been pushed. */
  end(): void {
    if (this.problem !== null) return;
    if (this.sample !== 0 || this.state !== 'length' || this.count !== 0) {
      this.problem = 'video sample that is not NAL units';
    }
  }

  private byte(x: number): void {
    switch (this.state) {
      case 'length':
        this.value = this.value * 256 + x;
        if (++this.count < this.lengthSize) return;
        this.left = this.value;
        this.count = 0;
        this.value = 0;
        if (this.left > this.sample) this.problem = 'video sample that is not NAL units';
        else if (this.left > 0) this.state = 'header';
        return;
      case 'header':
        this.left--;
        if (this.count++ === 0) {
          if (x & 0x80) this.problem = 'video NAL unit with its forbidden bit set';
          this.sei = this.codec === 'h264' ? (x & 0x1f) === 6 : [39, 40].includes((x >> 1) & 0x3f);
        }
        if (this.count === (this.codec === 'h264' ? 1 : 2) || this.left === 0) {
          this.count = 0;
          this.zeros = 0;
          this.state = this.sei ? 'type' : 'skip';
          this.value = 0;
        }
        if (this.left === 0) this.endUnit();
        return;
      default:
        this.left--;
        this.rbsp(x);
        if (this.left === 0) this.endUnit();
    }
  }

  /** An SEI unit's byte, emulation prevention (00 00 03) removed before it is read. */
  private rbsp(x: number): void {
    if (this.zeros >= 2 && x === 3) {
      this.zeros = 0;
      return;
    }
    this.zeros = x === 0 ? this.zeros + 1 : 0;
    if (this.state === 'type' || this.state === 'size') {
      this.value += x;
      this.count++;
      if (x === 0xff) return;
      if (this.state === 'type') {
        this.payloadType = this.value;
        this.state = 'size';
      } else {
        this.payloadLeft = this.value;
        this.startPayload();
      }
      this.value = 0;
      this.count = 0;
      return;
    }
    // 'payload'
    if (this.held !== null) {
      this.held[this.heldBytes++] = x;
      if (this.heldBytes === 16 && !this.held.subarray(0, 16).equals(X264_UUID)) {
        this.problem = 'SEI user data';
      }
    }
    if (--this.payloadLeft === 0) this.endPayload();
  }

  private startPayload(): void {
    if (this.payloadType === USER_DATA_UNREGISTERED) {
      if (this.payloadLeft > X264_MAX || this.payloadLeft < 16) {
        this.problem = 'SEI user data';
        return;
      }
      this.held = Buffer.alloc(this.payloadLeft);
      this.heldBytes = 0;
    }
    this.state = 'payload';
    if (this.payloadLeft === 0) this.endPayload();
  }

  private endPayload(): void {
    if (this.held !== null && !isX264Settings(this.held)) {
      this.problem = 'SEI user data';
    }
    this.held = null;
    this.state = 'type';
  }

  /** A unit ends: an SEI one only between messages, or with its trailing bits. */
  private endUnit(): void {
    if (this.problem !== null) return;
    if (this.sei) {
      const trailing =
        this.state === 'size' && this.count === 0 && this.payloadType === TRAILING_BITS;
      if (this.state === 'payload' && this.held !== null) {
        this.problem = 'SEI user data';
      } else if (this.state !== 'type' && !trailing && this.state !== 'payload') {
        this.problem = 'SEI message cut short';
      }
    }
    this.sei = false;
    this.held = null;
    this.state = 'length';
    this.value = 0;
    this.count = 0;
  }
}

/**
 * x264's own SEI: its UUID, then "x264 - core N rN hash - H.264/MPEG-4 AVC codec - Copyleft
 * 2003-YYYY - http://www.videolan.org/x264.html - options: key=value …" and a NUL. It is taken
 * for encoder settings only if it has that shape to its end and every option is one x264 writes
 * (its param2string), with a value of digits, a few letters and punctuation: the UUID alone
 * cannot carry other text.
 */
export function isX264Settings(payload: Buffer): boolean {
  if (!payload.subarray(0, 16).equals(X264_UUID)) return false;
  const nul = payload.indexOf(0, 16);
  if (nul !== payload.length - 1) return false;
  const match = X264_TEXT.exec(payload.toString('latin1', 16, nul));
  if (!match) return false;
  return match[1]!.split(' ').every((option) => {
    if (option === '' || option === 'zones') return true;
    const eq = option.indexOf('=');
    return X264_OPTIONS.has(option.slice(0, eq)) && X264_VALUE.test(option.slice(eq + 1));
  });
}

const X264_TEXT = new RegExp(
  '^x264 - core \\d{1,4}(?: r\\d{1,5}\\+?\\d{0,4}M? [0-9a-f]{7})? - H\\.264/MPEG-4 AVC codec - ' +
    'Copy(?:left|right) 2003-\\d{4} - http://www\\.videolan\\.org/x264\\.html - options:(.*)$',
);
const X264_VALUE = /^[0-9A-Za-z.:,/+()=_-]{1,128}$/;
const X264_OPTIONS = new Set([
  ...['opencl', 'cabac', 'ref', 'deblock', 'analyse', 'me', 'subme', 'psy', 'psy_rd', 'brdo'],
  ...['mixed_ref', 'me_range', 'chroma_me', 'trellis', '8x8dct', 'cqm', 'deadzone', 'fast_pskip'],
  ...['chroma_qp_offset', 'threads', 'lookahead_threads', 'sliced_threads', 'slices'],
  ...['slices_max', 'slice_max_size', 'slice_max_mbs', 'slice_min_mbs', 'nr', 'decimate'],
  ...['interlaced', 'mbaff', 'bluray_compat', 'stitchable', 'constrained_intra', 'bframes'],
  ...['b_pyramid', 'b_adapt', 'b_bias', 'direct', 'weightb', 'wpredb', 'bime', 'open_gop'],
  ...['weightp', 'keyint', 'keyint_min', 'scenecut', 'intra_refresh', 'rc_lookahead', 'rc'],
  ...['mbtree', 'crf', 'bitrate', 'ratetol', 'qcomp', 'qpmin', 'qpmax', 'qpstep', 'cplxblur'],
  ...['qblur', 'vbv_maxrate', 'vbv_bufsize', 'crf_max', 'qp', 'nal_hrd', 'filler', 'crop_rect'],
  ...['mastering-display', 'cll', 'frame-packing', 'ip_ratio', 'pb_ratio', 'aq', 'zones'],
]);
