import type { SanitiseResult } from '../sanitise/types';
import type { StreamedFormat } from '../sanitise/media';
import { answerSchema, claimHolds } from './jail-answer';
import { JailFailed, type Jail } from './jail';
import type { JailPool } from './jail-pool';
import { receiveReadings } from './jail-readings';
import { JailedStream } from './jail-stream';
import type { Declared, SandboxSession, StreamSession } from './sandbox.types';
import { JAIL_FAILURE_NOTES, formatOf, sandboxFailed } from './sandbox-failed';
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
      const { data, end } = await this.receive(jail, answer.size, ['done', 'rendering']);
      if (!claimHolds(answer.mime, answer.extension, data, true)) {
        data.fill(0);
        throw jail.broken();
      }
      const { mime, extension, report } = answer;
      // A document's safe rendition or a photo's OCR text follows (jail-readings.ts).
      const readings =
        end === 'rendering'
          ? await receiveReadings(jail, this.limits.maxOutputBytes, report, async (size) => {
              return (await this.receive(jail, size, ['done'])).data;
            }).catch((err: unknown) => {
              // The clean copy stands; only the extra reading is lost, with its jail.
              if (!(err instanceof JailFailed)) throw err;
              jail.kill();
              report.notes = [
                ...(report.notes ?? []),
                `no safe rendition or OCR: ${JAIL_FAILURE_NOTES[err.code]}`,
              ];
              return {};
            })
          : {};
      return { status: 'clean', data, mime, extension, report, ...readings };
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

  /** Exactly `size` bytes of data frames, then one of the `ends` control messages. */
  private async receive(
    jail: Jail,
    size: number,
    ends: readonly string[],
  ): Promise<{ data: Buffer; end: string }> {
    const out = Buffer.alloc(size);
    let at = 0;
    try {
      for (;;) {
        const f = await jail.next();
        if (f.kind === 'control') {
          const end = String(f.msg.op);
          if (!ends.includes(end) || at !== size) throw jail.broken();
          return { data: out, end };
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
