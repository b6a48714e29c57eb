import type { SanitiseResult } from '../sanitise/types';
import type { StreamedFormat } from '../sanitise/media';
import { answerSchema, claimHolds } from './jail-answer';
import { JailFailed, type Jail } from './jail';
import type { JailPool } from './jail-pool';
import { JailedStream } from './jail-stream';
import type { Declared, SandboxSession, StreamSession } from './sandbox.types';
import { formatOf, sandboxFailed } from './sandbox-failed';
import { deadlineFor, type SessionJails, type SessionLimits } from './session-limits';

// One submission's use of jails: its files go to one jail in turn; a jail that fails a file is
// killed and the next file gets a fresh one. end() destroys every jail the session used.

export class JailSession implements SandboxSession, SessionJails {
  private jail: Jail | null = null;
  private readonly used: Jail[] = [];

  constructor(
    private readonly pool: JailPool,
    readonly limits: SessionLimits,
  ) {}

  /** The session's live jail, or a fresh one from the pool (JailUnavailable if none starts). */
  async current(): Promise<Jail> {
    if (this.jail?.alive) return this.jail;
    this.jail = await this.pool.take();
    this.used.push(this.jail);
    return this.jail;
  }

  async sanitise(input: Buffer, declared: Declared): Promise<SanitiseResult> {
    const jail = await this.current();
    jail.arm(deadlineFor(this.limits, input.length));
    try {
      await jail.send({
        op: 'sanitise',
        name: declared.name,
        type: declared.type,
        size: input.length,
      });
      await jail.sendBytes(input);
      await jail.send({ op: 'end' });
      const parsed = answerSchema.safeParse(await jail.control());
      if (!parsed.success) throw jail.broken();
      const answer = parsed.data;
      if (answer.status === 'unsanitised') {
        await this.done(jail);
        // A file its jail could not clean may have been built to harm it (a bomb, an exploit
        // that half worked): the next file gets a fresh jail.
        jail.kill();
        return { status: 'unsanitised', reason: answer.reason, report: answer.report };
      }
      if (answer.size > this.limits.maxOutputBytes) {
        jail.kill();
        throw new JailFailed('SANDBOX_LIMIT');
      }
      const data = await this.receive(jail, answer.size);
      if (!claimHolds(answer.mime, answer.extension, data, true)) {
        data.fill(0);
        throw jail.broken();
      }
      const { mime, extension, report } = answer;
      return { status: 'clean', data, mime, extension, report };
    } catch (err) {
      if (!(err instanceof JailFailed)) throw err;
      return sandboxFailed(err.code, formatOf(input));
    } finally {
      jail.disarm();
    }
  }

  stream(format: StreamedFormat, size: number): StreamSession {
    return new JailedStream(this, format, size);
  }

  /** Destroys every jail this submission used. */
  async end(): Promise<void> {
    this.jail = null;
    await Promise.all(this.used.splice(0).map((j) => j.destroy()));
  }

  /** Exactly `size` bytes of data frames, then `done`. */
  private async receive(jail: Jail, size: number): Promise<Buffer> {
    const out = Buffer.alloc(size);
    let at = 0;
    try {
      for (;;) {
        const f = await jail.next();
        if (f.kind === 'control') {
          if (f.msg.op !== 'done' || at !== size) throw jail.broken();
          return out;
        }
        if (at + f.data.length > size) throw jail.broken();
        f.data.copy(out, at);
        f.data.fill(0);
        at += f.data.length;
      }
    } catch (err) {
      out.fill(0);
      throw err;
    }
  }

  private async done(jail: Jail): Promise<void> {
    const msg = await jail.control();
    if (msg.op !== 'done') throw jail.broken();
  }
}
