import { picTimingWithoutClock, spsTiming, type TimingSyntax } from './h264-timing';
import type { Codec } from './video';
import {
  CLOCK,
  SEI_H264,
  SEI_HEVC,
  seiFinding,
  UNIT_RULES,
  USER_DATA_UNREGISTERED,
  type UnitRule,
} from './nal-rules';
import { isX264Settings, X264_MAX } from './x264';

// The NAL units of one H.264 or HEVC sample, read as its bytes stream past, on an allowlist:
// cameras write dates, GPS and models into SEI messages. What passes and what is not read: MEDIA.md.

const PIC_TIMING = 1;
const FILLER_PAYLOAD = 3;
/** An H.264 SPS is held up to this size to be read; a longer one is not read. */
const SPS_MAX = 1024;
/** A picture timing message without clock stamps is two delays (32 bits at most) and 8 bits. */
const PIC_TIMING_MAX = 32;
const TRAILING_BITS = 0x80;

type State =
  | 'length' // reading a NAL unit's length
  | 'header' // its first byte(s)
  | 'skip' // an allowed unit not read further, to its end
  | 'sps' // an H.264 SPS, held to be read
  | 'filler' // a filler unit: 0xFF bytes, then the trailing bits
  | 'type' // an SEI message's payload type
  | 'size' // its payload size
  | 'payload'; // its payload

const STATE = { sei: 'type', sps: 'sps', filler: 'filler' } as const;

type PayloadRule = 'skip' | 'ff' | 'x264' | 'timing';

export class NalInspector {
  private state: State = 'length';
  private value = 0;
  private count = 0;
  /** Bytes of the current unit (after its length) still to come. */
  private left = 0;
  private sample = 0;
  private zeros = 0;
  private unit: UnitRule = 'skip';
  private payloadType = 0;
  private payloadLeft = 0;
  private payloadRule: PayloadRule = 'skip';
  private held: Buffer | null = null;
  private heldBytes = 0;
  private lengthBytes: number;
  /** Timing syntax of each SPS seen, by id; `spsUnread` once one could not be read. */
  private readonly timings = new Map<number, TimingSyntax>();
  private spsUnread = false;
  /** The first thing found, a description without any value; null while none. */
  problem: string | null = null;

  constructor(
    private readonly codec: Codec,
    private readonly lengthSize: number,
  ) {
    this.lengthBytes = lengthSize;
  }

  /**
   * Starts a new sample of `size` bytes (the previous one must have ended on a unit); or, with
   * `lengthSize` 2, the track's avcC/hvcC arrays, whose parameter sets its samples then use.
   */
  begin(size: number, lengthSize = this.lengthSize): void {
    this.lengthBytes = lengthSize;
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
        if (++this.count < this.lengthBytes) return;
        this.left = this.value;
        this.count = 0;
        this.value = 0;
        if (this.left > this.sample) this.problem = 'video sample that is not NAL units';
        else if (this.left > 0) this.state = 'header';
        return;
      case 'header':
        this.left--;
        if (this.count++ === 0) this.startUnit(x);
        if (this.problem !== null) return;
        if (this.count === (this.codec === 'h264' ? 1 : 2) || this.left === 0) {
          this.count = 0;
          this.zeros = 0;
          this.value = 0;
          this.state =
            typeof this.unit === 'string' && this.unit !== 'skip' ? STATE[this.unit] : 'skip';
          if (this.unit === 'sps') {
            this.held = this.left <= SPS_MAX ? Buffer.alloc(this.left) : null;
            this.heldBytes = 0;
          }
        }
        if (this.left === 0) this.endUnit();
        return;
      case 'filler':
        this.left--;
        if (x !== 0xff && !(x === TRAILING_BITS && this.left === 0)) {
          this.problem = 'video filler unit that is not filler';
        } else if (this.left === 0) this.endUnit();
        return;
      default:
        this.left--;
        this.rbsp(x);
        if (this.left === 0) this.endUnit();
    }
  }

  /** A unit's first byte: its type, on the allowlist or a finding. */
  private startUnit(x: number): void {
    if (x & 0x80) {
      this.problem = 'video NAL unit with its forbidden bit set';
      return;
    }
    const type = this.codec === 'h264' ? x & 0x1f : (x >> 1) & 0x3f;
    const rule = UNIT_RULES[this.codec].get(type);
    if (rule === undefined) {
      this.problem = `video NAL unit of a type not allowed (${type})`;
    } else if (typeof rule === 'object' && this.left + 1 !== rule.size) {
      this.problem = `video NAL unit of type ${type} not of its fixed size`;
    } else {
      this.unit = rule;
    }
  }

  /** An SEI or SPS unit's byte, emulation prevention (00 00 03) removed before it is read. */
  private rbsp(x: number): void {
    if (this.zeros >= 2 && x === 3) {
      this.zeros = 0;
      return;
    }
    this.zeros = x === 0 ? this.zeros + 1 : 0;
    if (this.state === 'sps') {
      if (this.held !== null) this.held[this.heldBytes++] = x;
      return;
    }
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
    if (this.payloadRule === 'ff' && x !== 0xff) {
      this.problem = 'SEI filler payload that is not filler';
    } else if (this.held !== null) {
      this.held[this.heldBytes++] = x;
    }
    if (--this.payloadLeft === 0) this.endPayload();
  }

  /** A message's type and size are known: allowed, x264's, or a finding. */
  private startPayload(): void {
    const t = this.payloadType;
    if (this.codec === 'h264' && t === USER_DATA_UNREGISTERED) {
      if (this.payloadLeft > X264_MAX || this.payloadLeft < 16) {
        this.problem = 'SEI user data';
        return;
      }
      this.payloadRule = 'x264';
      this.held = Buffer.alloc(this.payloadLeft);
      this.heldBytes = 0;
    } else if (this.codec === 'h264' && t === PIC_TIMING) {
      if (this.payloadLeft > PIC_TIMING_MAX) {
        this.problem = CLOCK;
        return;
      }
      this.payloadRule = 'timing';
      this.held = Buffer.alloc(this.payloadLeft);
      this.heldBytes = 0;
    } else if (t === FILLER_PAYLOAD) {
      this.payloadRule = 'ff';
    } else {
      const most = (this.codec === 'h264' ? SEI_H264 : SEI_HEVC).get(t);
      if (most === undefined) this.problem = seiFinding(this.codec, t);
      else if (this.payloadLeft > most) this.problem = `SEI message of type ${t} too long`;
      if (this.problem !== null) return;
      this.payloadRule = 'skip';
    }
    this.state = 'payload';
    if (this.payloadLeft === 0) this.endPayload();
  }

  private endPayload(): void {
    if (this.payloadRule === 'x264' && !isX264Settings(this.held!)) {
      this.problem = 'SEI user data';
    } else if (this.payloadRule === 'timing' && !this.withoutClock(this.held!)) {
      this.problem = CLOCK;
    }
    this.held = null;
    this.payloadRule = 'skip';
    this.state = 'type';
  }

  /**
   * A picture timing payload read with the timing syntax of the SPSs seen. Which one is active
   * only the slices after it say: every one seen must agree, and every one must have been read.
   */
  private withoutClock(payload: Buffer): boolean {
    const [t, ...others] = [...this.timings.values()];
    if (this.spsUnread || t === undefined) return false;
    const same = (o: TimingSyntax): boolean =>
      o.picStruct === t.picStruct && String(o.delays) === String(t.delays);
    return others.every(same) && picTimingWithoutClock(payload, t);
  }

  /** A unit ends: an SEI one only between messages, or with its trailing bits. */
  private endUnit(): void {
    if (this.problem !== null) return;
    if (this.unit === 'sps') {
      const read = this.held && spsTiming(this.held.subarray(0, this.heldBytes));
      if (read) this.timings.set(read.id, read.timing);
      else this.spsUnread = true;
    }
    if (this.unit === 'sei') {
      const trailing =
        this.state === 'size' && this.count === 0 && this.payloadType === TRAILING_BITS;
      if (!trailing) this.problem = 'SEI message cut short';
    }
    this.unit = 'skip';
    this.held = null;
    this.payloadRule = 'skip';
    this.state = 'length';
    this.value = 0;
    this.count = 0;
  }
}
