// What a native remuxer (mp3.remux.ts, isobmff.remux.ts) hands back: the cleaned file and what
// it dropped, or why it would not touch the file — then the media sanitiser falls back to ffmpeg.
// `why` is for the report's notes: it names a structure, never a value from the file.

export type Remuxed = { ok: true; data: Buffer; removed: string[] } | { ok: false; why: string };

/** Thrown inside a remuxer for a structure it does not handle; turned into `{ ok: false }`. */
export class Refused extends Error {}

export function refusal(e: unknown): Remuxed {
  return { ok: false, why: e instanceof Refused ? e.message : 'unreadable structure' };
}
