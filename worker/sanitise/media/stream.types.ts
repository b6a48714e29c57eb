// The contract between media.stream.ts and a format's streaming remuxer: forward passes only,
// a bounded amount held whatever the file's size.

export interface Streamer {
  /** The first pass, a chunk at a time. Throws Refused for a structure it does not handle. */
  push(chunk: Buffer): void;
  /** After the first pass: the output's layout (more passes if needed). May throw Refused. */
  plan(pass: () => AsyncIterable<Buffer>): Promise<StreamPlan>;
  /** A fresh re-reader of this format's output (`outputSize` bytes), fed every byte written. */
  check(outputSize: number): OutputCheck;
}

export interface StreamPlan {
  /** Output length, known before its first byte (the record file's encryptor needs it). */
  size: number;
  removed: string[];
  /** Writes the whole output through `emit`, in order, using further passes. */
  write(emit: (chunk: Buffer) => Promise<void>): Promise<void>;
}

export interface OutputCheck {
  push(chunk: Buffer): void;
  /**
   * What the output holds that it should not (structure names, never values), and a small
   * well-formed file of the output's non-media parts for exiftool (null when already failed),
   * and what exiftool may report of that skeleton besides the format's structural tags.
   */
  finish(): { leftover: string[]; skeleton: Buffer | null; skeletonAllowed: RegExp[] };
}
