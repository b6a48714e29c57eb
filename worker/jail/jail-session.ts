import { detectFormat } from '../sanitise/detect-format';
import type { SanitiseReport, SanitiseResult } from '../sanitise/types';
import type { StreamedFormat } from '../sanitise/media.stream';
import { answerSchema, claimHolds } from './jail-answer';
import { JailFailed, type Jail } from './jail';
import type { JailPool } from './jail-pool';
import { receiveReadings } from './jail-readings';
import { JailedStream } from './jail-stream';
import type { Declared, SandboxSession, StreamSession } from './sandbox';

// One submission's use of jails. Its files go to one jail, in turn; if that jail dies (a crash,
// a limit, the deadline), answers wrongly or cannot clean a file, it is killed and the next
// file gets a fresh one from the pool. No jail that saw this submission's bytes is ever given another submission's:
// end() destroys every jail the session used.

/** A file's deadline: the session's, plus a second per this many bytes (copies, remuxes). */
const BYTES_PER_SECOND = 4 * 1024 * 1024;

export function deadlineFor(limits: SessionLimits, size: number): number {
  return limits.deadlineMs + Math.ceil((size / BYTES_PER_SECOND) * 1000);
}

export interface SessionLimits {
  /** Wall-clock deadline for one file in memory (ms). */
  deadlineMs: number;
  /** The largest clean output believed (the worker holds it whole, like its input). */
  maxOutputBytes: number;
}

export class JailSession implements SandboxSession {
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
                `no safe rendition or OCR: ${NOTES[err.code]}`,
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

const NOTES: Record<JailFailed['code'], string> = {
  SANDBOX_CRASHED: 'the sanitiser crashed on this file (in its jail)',
  SANDBOX_LIMIT: 'the sanitiser hit a resource limit of its jail on this file',
  SANDBOX_TIMEOUT: 'the sanitiser ran past its deadline on this file',
  SANDBOX_BAD_ANSWER: 'the sanitiser jail gave an answer that failed the worker’s checks',
};

export function sandboxFailed(code: JailFailed['code'], format: string): SanitiseResult {
  const report: SanitiseReport = { format, removed: [], kept: [], notes: [NOTES[code]] };
  return { status: 'unsanitised', reason: code, report };
}

/** The format by magic bytes only: the worker parses nothing of a file beyond its first bytes. */
export function formatOf(head: Buffer): string {
  return detectFormat(head.subarray(0, 64)) ?? 'unknown';
}
