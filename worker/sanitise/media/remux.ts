// What a native remuxer hands back: the cleaned file and what it dropped, or why it would not
// touch the file (a structure, never a value), and the caller falls back to ffmpeg.

import { LimitExceeded } from '../limits';

export type Remuxed = { ok: true; data: Buffer; removed: string[] } | { ok: false; why: string };

/** Thrown inside a remuxer for a structure it does not handle; turned into `{ ok: false }`. */
export class Refused extends Error {}

export function refusal(e: unknown): Remuxed {
  // A bomb limit is not a structure to hand to ffmpeg instead: the file is refused with its code.
  if (e instanceof LimitExceeded) throw e;
  return { ok: false, why: e instanceof Refused ? e.message : 'unreadable structure' };
}
