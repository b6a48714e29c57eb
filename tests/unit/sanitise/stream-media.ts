import {
  MediaStreamSanitiser,
  streamableFormat,
  type StreamedResult,
} from '../../../worker/sanitise/media';
import type { SanitiseContext } from '../../../worker/sanitise/types';

// Running a file through the streamed cleaner (media.stream.ts) in memory, its passes cut into
// `step`-byte pieces, its output collected: for the streaming tests.

export const pieces = (b: Buffer, step: number) =>
  async function* () {
    for (let at = 0; at < b.length; at += step) yield b.subarray(at, at + step);
  };

export interface Streamed {
  result: StreamedResult;
  data: Buffer;
  ended: boolean;
  aborted: boolean;
}

export async function stream(input: Buffer, step: number, ctx: SanitiseContext): Promise<Streamed> {
  const format = streamableFormat(input.subarray(0, 65536));
  if (!format) throw new Error('not streamable');
  const media = new MediaStreamSanitiser(format, input.length);
  for await (const chunk of pieces(input, step)()) await media.firstPass.write(chunk);
  const out: Buffer[] = [];
  const seen = { ended: false, aborted: false, size: -1 };
  const result = await media.finish(pieces(input, step), ctx, (size) => {
    seen.size = size;
    return Promise.resolve({
      write: (c: Buffer) => Promise.resolve(void out.push(Buffer.from(c))),
      end: () => Promise.resolve(void (seen.ended = true)),
      abort: () => void (seen.aborted = true),
    });
  });
  const data = Buffer.concat(out);
  if (seen.ended && data.length !== seen.size) throw new Error('output not its planned size');
  return { result, data, ended: seen.ended, aborted: seen.aborted };
}
