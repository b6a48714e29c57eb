import { sha256Stream } from '../../crypto';
import type { ByteSink, StreamedFormat } from '../sanitise/media';
import { answerSchema, claimHolds, HEAD_BYTES } from './jail-answer';
import { JailFailed, type Jail } from './jail';
import { formatOf, sandboxFailed } from './sandbox-failed';
import type { SessionStreamed, StreamSession } from './sandbox.types';
import { deadlineFor, type SessionJails } from './session-limits';

// A large audio/video file cleaned as a stream through the jail: passes fed as decrypted, the
// clean output received into the sink with backpressure; the worker hashes and checks it itself.

/** Output beyond the input's size plus this is not a remux of it. */
const OUTPUT_SLACK = 16 * 1024 * 1024;

export class JailedStream implements StreamSession {
  private jail: Jail | null = null;
  private failed: JailFailed['code'] | null = null;
  private head = Buffer.alloc(0);

  constructor(
    private readonly session: SessionJails,
    private readonly format: StreamedFormat,
    private readonly size: number,
  ) {}

  readonly firstPass: ByteSink = {
    write: async (chunk) => {
      try {
        const jail = await this.opened();
        if (jail) await jail.sendBytes(chunk);
      } catch (err) {
        this.fail(err);
      }
    },
    end: async () => {
      try {
        const jail = await this.opened();
        if (jail) await jail.send({ op: 'first-end' });
      } catch (err) {
        this.fail(err);
      }
    },
    // The first pass failed on the worker's side: the file is the caller's error, not ours.
    abort: () => this.jail?.kill(),
  };

  async finish(
    pass: () => AsyncIterable<Buffer>,
    open: (size: number) => Promise<ByteSink>,
  ): Promise<SessionStreamed> {
    const jail = await this.opened();
    if (!jail || this.failed) return this.failure(this.failed ?? 'SANDBOX_CRASHED');
    const state = new StreamState(jail, pass);
    try {
      for (;;) {
        const f = await jail.next();
        if (f.kind === 'data') {
          await state.output(f.data, (d) => this.keepHead(d));
          continue;
        }
        const op = f.msg.op;
        if (op === 'pass') state.startPass();
        else if (op === 'stop') state.stopPass();
        else if (op === 'open') await state.open(f.msg.size, this.size + OUTPUT_SLACK, open);
        else if (op === 'out-end') await state.end();
        else if (op === 'out-abort') state.abort();
        else if (op === 'result') return await this.result(jail, f.msg, state);
        else throw jail.broken();
      }
    } catch (err) {
      state.abort();
      await state.settled();
      if (state.passError !== undefined) throw state.passError;
      if (!(err instanceof JailFailed)) {
        jail.kill();
        throw err; // the sink's (the store's): the caller's to handle
      }
      return this.failure(err.code);
    } finally {
      jail.disarm();
    }
  }

  private async result(jail: Jail, msg: Record<string, unknown>, state: StreamState) {
    const parsed = answerSchema.safeParse(msg);
    if (!parsed.success) throw jail.broken();
    const answer = parsed.data;
    if ((await jail.control()).op !== 'done') throw jail.broken();
    await state.settled();
    if (answer.status === 'unsanitised') {
      state.abort();
      jail.kill(); // as for a file in memory: the next file gets a fresh jail
      return { status: 'unsanitised', reason: answer.reason, report: answer.report } as const;
    }
    const whole = state.ended && state.received === answer.size && answer.size === state.planned;
    if (!whole || !claimHolds(answer.mime, answer.extension, this.head, false)) throw jail.broken();
    const { mime, extension, report } = answer;
    return {
      status: 'clean',
      mime,
      extension,
      size: state.received,
      sha256: state.digest(),
      report,
    } as const;
  }

  private keepHead(data: Buffer): void {
    if (this.head.length < HEAD_BYTES)
      this.head = Buffer.concat([this.head, data.subarray(0, HEAD_BYTES - this.head.length)]);
  }

  /** The jail for this file, told what is coming, on the first call. */
  private async opened(): Promise<Jail | null> {
    if (this.failed) return null;
    if (this.jail) return this.jail;
    this.jail = await this.session.current();
    this.jail.arm(deadlineFor(this.session.limits, this.size));
    await this.jail.send({ op: 'stream', format: this.format, size: this.size });
    return this.jail;
  }

  private fail(err: unknown): void {
    if (!(err instanceof JailFailed)) throw err;
    this.failed = err.code;
  }

  private failure(code: JailFailed['code']): SessionStreamed {
    const r = sandboxFailed(code, formatOf(this.head.length > 0 ? this.head : Buffer.alloc(0)));
    if (r.status === 'clean') throw new Error('unreachable');
    return {
      status: 'unsanitised',
      reason: r.reason,
      report: { ...r.report, format: this.format },
    };
  }
}

/** The output sink and the pass in flight, for one streamed file. */
class StreamState {
  received = 0;
  planned = -1;
  ended = false;
  passError: unknown;
  private sink: ByteSink | null = null;
  private aborted = false;
  private sending: Promise<void> | null = null;
  private stopped = false;
  private readonly hash = sha256Stream();

  constructor(
    private readonly jail: Jail,
    private readonly pass: () => AsyncIterable<Buffer>,
  ) {}

  startPass(): void {
    if (this.sending) throw this.jail.broken();
    this.stopped = false;
    this.sending = (async () => {
      try {
        for await (const chunk of this.pass()) {
          if (this.stopped) break;
          await this.jail.sendBytes(chunk);
        }
        await this.jail.send({ op: 'pass-end' });
      } catch (err) {
        // Decryption or the store failed: the worker's problem, never the jail's.
        this.passError = err;
        this.jail.kill();
      } finally {
        this.sending = null;
      }
    })();
  }

  stopPass(): void {
    this.stopped = true;
  }

  async settled(): Promise<void> {
    await this.sending;
  }

  async open(size: unknown, max: number, open: (size: number) => Promise<ByteSink>) {
    if (this.sink || typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
      throw this.jail.broken();
    if (size > max) {
      this.jail.kill();
      throw new JailFailed('SANDBOX_LIMIT');
    }
    this.planned = size;
    this.sink = await open(size);
  }

  async output(data: Buffer, head: (d: Buffer) => void): Promise<void> {
    if (!this.sink || this.ended || this.aborted) throw this.jail.broken();
    this.received += data.length;
    if (this.received > this.planned) throw this.jail.broken();
    head(data);
    this.hash.update(data);
    await this.sink.write(data);
  }

  async end(): Promise<void> {
    if (!this.sink || this.ended || this.aborted || this.received !== this.planned)
      throw this.jail.broken();
    this.ended = true;
    await this.sink.end();
  }

  abort(): void {
    if (this.sink && !this.ended && !this.aborted) this.sink.abort();
    this.aborted = true;
  }

  digest(): string {
    return this.hash.digestHex();
  }
}
