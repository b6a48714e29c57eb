import { mkdtemp } from 'node:fs/promises';
import { sanitiseFile } from '../sanitise';
import { startExiftool, stopExiftool } from '../sanitise/exiftool';
import { loadMupdf } from '../sanitise/pdf.sanitiser';
import { MediaStreamSanitiser, type ByteSink, type StreamedFormat } from '../sanitise/media';
import type { SanitiseContext, SanitiseResult } from '../sanitise/types';
import { readFrames, sendBytes, sendControl, type Frame } from './frames';
import { sendReadings } from './jail-readings.child';
import { SCRATCH } from './jail-spawn';
import { warmUp } from './warm-up';

// The program inside a jail (jail-spawn.ts): no key, credential or network. It runs the
// sanitisers unchanged and speaks frames.ts, one request (sanitise or stream) at a time.

const out = process.stdout;
// Set by runChild: importing this file (the probe does) reads nothing by itself.
let frames: AsyncIterator<Frame>;

async function next(): Promise<Frame> {
  const r = await frames.next();
  if (r.done) process.exit(0); // the worker closed the pipe: this jail is done
  return r.value;
}

async function control(): Promise<Record<string, unknown>> {
  const f = await next();
  if (f.kind !== 'control') throw new Error('PROTOCOL');
  return f.msg;
}

/** Data frames until a control message `end`; the bytes, at most `size`. */
async function receive(size: number, end: string): Promise<Buffer> {
  const buf = Buffer.alloc(size);
  let at = 0;
  for (;;) {
    const f = await next();
    if (f.kind === 'control') {
      if (f.msg.op !== end || at !== size) throw new Error('PROTOCOL');
      return buf;
    }
    if (at + f.data.length > size) throw new Error('PROTOCOL');
    f.data.copy(buf, at);
    at += f.data.length;
  }
}

/**
 * A test's hook, run before the sanitisers and answering instead of them when it returns a
 * result: the escape probe (tests/support/jail-probe.ts) is this program plus such a hook.
 */
export type Intercept = (input: Buffer, ctx: SanitiseContext) => Promise<SanitiseResult | null>;

async function sanitise(
  msg: Record<string, unknown>,
  ctx: SanitiseContext,
  intercept: Intercept | undefined,
): Promise<void> {
  const input = await receive(Number(msg.size), 'end');
  const declared = { name: String(msg.name ?? ''), type: String(msg.type ?? '') };
  const result = (await intercept?.(input, ctx)) ?? (await sanitiseFile(input, declared, ctx));
  if (result.status === 'clean') {
    const { data, mime, extension, report } = result;
    await sendControl(out, {
      op: 'result',
      status: 'clean',
      mime,
      extension,
      report,
      size: data.length,
    });
    await sendBytes(out, data);
    await sendReadings(out, input, result, ctx);
  } else {
    await sendControl(out, {
      op: 'result',
      status: 'unsanitised',
      reason: result.reason,
      report: result.report,
    });
  }
  await sendControl(out, { op: 'done' });
}

/** One forward pass over the plaintext, asked of the worker; stopping early tells it so. */
async function* pass(): AsyncGenerator<Buffer> {
  await sendControl(out, { op: 'pass' });
  let ended = false;
  try {
    for (;;) {
      const f = await next();
      if (f.kind === 'data') yield f.data;
      else if (f.msg.op === 'pass-end') {
        ended = true;
        return;
      } else throw new Error('PROTOCOL');
    }
  } finally {
    if (!ended) {
      await sendControl(out, { op: 'stop' });
      // What the worker sent before it saw `stop` is read and dropped.
      for (;;) {
        const f = await next();
        if (f.kind === 'control' && f.msg.op === 'pass-end') break;
      }
    }
  }
}

async function stream(msg: Record<string, unknown>, ctx: SanitiseContext): Promise<void> {
  const media = new MediaStreamSanitiser(msg.format as StreamedFormat, Number(msg.size));
  for (;;) {
    const f = await next();
    if (f.kind === 'data') await media.firstPass.write(f.data);
    else if (f.msg.op === 'first-end') break;
    else throw new Error('PROTOCOL');
  }
  const result = await media.finish(pass, ctx, async (size) => {
    await sendControl(out, { op: 'open', size });
    const sink: ByteSink = {
      write: (chunk) => sendBytes(out, chunk),
      end: () => sendControl(out, { op: 'out-end' }),
      abort: () => void sendControl(out, { op: 'out-abort' }),
    };
    return sink;
  });
  const { status, report } = result;
  if (status === 'clean') {
    const { mime, extension, size } = result;
    await sendControl(out, { op: 'result', status, mime, extension, size, report });
  } else await sendControl(out, { op: 'result', status, reason: result.reason, report });
  await sendControl(out, { op: 'done' });
}

export async function runChild(intercept?: Intercept): Promise<void> {
  frames = readFrames(process.stdin)[Symbol.asyncIterator]();
  const ctx: SanitiseContext = { tmpDir: await mkdtemp(`${SCRATCH}/s-`) };
  // Warm while the jail waits in the pool, off the critical path: exiftool's Perl start-up,
  // mupdf's WASM, and every sanitiser once on a file of its own making (warm-up.ts).
  await startExiftool().version();
  await loadMupdf();
  await warmUp(ctx);
  await sendControl(out, { op: 'ready', pid: process.pid });
  for (;;) {
    const msg = await control();
    if (msg.op === 'sanitise') await sanitise(msg, ctx, intercept);
    else if (msg.op === 'stream') await stream(msg, ctx);
    else throw new Error('PROTOCOL');
  }
}

/** Runs the child; any error ends it (exit 70) with no detail: a message may quote the file. */
export function startChild(intercept?: Intercept): void {
  runChild(intercept).catch(async () => {
    await stopExiftool().catch(() => undefined);
    process.exit(70);
  });
}

if (require.main === module) startChild();
