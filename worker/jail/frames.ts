import type { Readable, Writable } from 'node:stream';

// The wire between worker and jail: length-prefixed frames over stdin/stdout, control (JSON) or
// file bytes, never bytes inside JSON; both sides cap a frame at MAX_FRAME.

export const MAX_FRAME = 1024 * 1024 + 64;
/** File bytes are sent in slices of this size. */
export const DATA_SLICE = 256 * 1024;

const CONTROL = 0x43; // 'C'
const DATA = 0x44; // 'D'

export type Frame =
  { kind: 'control'; msg: Record<string, unknown> } | { kind: 'data'; data: Buffer };

export class FrameError extends Error {
  constructor(readonly code: 'FRAME_TOO_LARGE' | 'FRAME_INVALID') {
    super(code);
  }
}

function header(kind: number, length: number): Buffer {
  const h = Buffer.alloc(5);
  h.writeUInt32BE(length, 0);
  h[4] = kind;
  return h;
}

/** Writes one frame, waiting for the pipe to drain (backpressure) when it is full. */
export async function writeFrame(out: Writable, frame: Frame): Promise<void> {
  const body = frame.kind === 'control' ? Buffer.from(JSON.stringify(frame.msg)) : frame.data;
  if (body.length > MAX_FRAME) throw new FrameError('FRAME_TOO_LARGE');
  out.write(header(frame.kind === 'control' ? CONTROL : DATA, body.length));
  if (out.write(body)) return;
  // Drained, or gone (a dead jail's pipe closes): either way the writer moves on, and no
  // listener is left behind on the stream.
  await new Promise<void>((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

export const sendControl = (out: Writable, msg: Record<string, unknown>) =>
  writeFrame(out, { kind: 'control', msg });

/** Bytes of any length, as data frames of DATA_SLICE. */
export async function sendBytes(out: Writable, data: Buffer): Promise<void> {
  for (let at = 0; at < data.length; at += DATA_SLICE)
    await writeFrame(out, { kind: 'data', data: data.subarray(at, at + DATA_SLICE) });
}

/** Frames read from a stream, in order; ends when the stream ends (a partial frame: error). */
export async function* readFrames(input: Readable): AsyncGenerator<Frame> {
  let pending: Buffer[] = [];
  let have = 0;
  const take = (n: number): Buffer => {
    const all = pending.length === 1 ? pending[0]! : Buffer.concat(pending, have);
    const out = Buffer.from(all.subarray(0, n));
    pending = n < all.length ? [all.subarray(n)] : [];
    have -= n;
    return out;
  };
  for await (const chunk of input as AsyncIterable<Buffer>) {
    pending.push(chunk);
    have += chunk.length;
    for (;;) {
      if (have < 5) break;
      const head = pending[0]!.length >= 5 ? pending[0]! : Buffer.concat(pending, have);
      const length = head.readUInt32BE(0);
      const kind = head[4];
      if (length > MAX_FRAME) throw new FrameError('FRAME_TOO_LARGE');
      if (kind !== CONTROL && kind !== DATA) throw new FrameError('FRAME_INVALID');
      if (have < 5 + length) break;
      take(5);
      const body = take(length);
      if (kind === DATA) {
        yield { kind: 'data', data: body };
        continue;
      }
      let msg: unknown;
      try {
        msg = JSON.parse(body.toString('utf8'));
      } catch {
        throw new FrameError('FRAME_INVALID');
      }
      if (msg === null || typeof msg !== 'object' || Array.isArray(msg))
        throw new FrameError('FRAME_INVALID');
      yield { kind: 'control', msg: msg as Record<string, unknown> };
    }
  }
  if (have > 0) throw new FrameError('FRAME_INVALID');
}
