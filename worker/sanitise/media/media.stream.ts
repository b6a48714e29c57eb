import { CONTAINERS, streamerFor, type StreamedFormat } from './formats';
import { KEPT, XING_KEPT } from './kept';
import { STRUCTURAL } from './structural-tags';
import { LimitExceeded } from '../limits';
import { Refused } from './remux';
import type { Streamer } from './stream.types';
import type { SanitiseContext, FileSanitiseReport } from '../types';
import { verifyClean } from '../verify';

// Audio and video too large to hold in memory, cleaned as a stream with the native rules and
// re-read as written by the format's own checker. See MEDIA.md.

export interface ByteSink {
  write(chunk: Buffer): Promise<void>;
  end(): Promise<void>;
  abort(): void;
}

export type StreamedResult =
  | {
      status: 'clean';
      mime: string;
      extension: string;
      size: number;
      report: FileSanitiseReport;
    }
  | { status: 'unsanitised'; reason: string; report: FileSanitiseReport };

/** A pass or the output sink failed: not the file's fault, the caller's error to handle. */
class IoFailed extends Error {
  constructor(readonly original: unknown) {
    super('IO_FAILED');
  }
}

export class MediaStreamSanitiser {
  private readonly streamer: Streamer;
  private refused: string | null = null;

  /**
   * The first pass, fed by the caller (who may copy the same chunks elsewhere): a structure
   * the streamer refuses is remembered, never thrown, so the other copies are not disturbed.
   */
  readonly firstPass: ByteSink = {
    write: (chunk) => {
      if (this.refused === null) {
        try {
          this.streamer.push(chunk);
        } catch (e) {
          this.refused = e instanceof Refused ? e.message : 'unreadable structure';
        }
      }
      return Promise.resolve();
    },
    end: () => Promise.resolve(),
    abort: () => undefined,
  };

  constructor(
    private readonly format: StreamedFormat,
    size: number,
  ) {
    this.streamer = streamerFor(format, size);
  }

  /**
   * After the first pass: plans, writes the output into the sink `open` gives for its size,
   * and verifies it. A pass's or the sink's error is rethrown; the file's own problems come
   * back as `unsanitised` (the sink, if opened, aborted: the caller deletes its blob).
   */
  async finish(
    pass: () => AsyncIterable<Buffer>,
    ctx: SanitiseContext,
    open: (size: number) => Promise<ByteSink>,
  ): Promise<StreamedResult> {
    const container = CONTAINERS[this.format]!;
    const report: FileSanitiseReport = { format: container.ext, removed: [], kept: [] };
    const held = (reason: string, note: string): StreamedResult => ({
      status: 'unsanitised',
      reason,
      report: { ...report, notes: [note] },
    });
    const source = guarded(pass);
    if (this.refused !== null) {
      return held('TOO_LARGE_TO_SANITISE', `streaming remux declined (${this.refused})`);
    }
    let plan;
    try {
      plan = await this.streamer.plan(source);
    } catch (e) {
      if (e instanceof IoFailed) throw e.original;
      if (e instanceof LimitExceeded) return held(e.code, 'refused before cleaning');
      const why = e instanceof Refused ? e.message : 'unreadable structure';
      return held('TOO_LARGE_TO_SANITISE', `streaming remux declined (${why})`);
    }

    const out = await open(plan.size);
    const check = this.streamer.check(plan.size);
    let written = 0;
    let leftover: string[];
    try {
      await plan.write(async (chunk) => {
        written += chunk.length;
        if (written > plan.size) throw new Refused('output longer than planned');
        check.push(chunk);
        await out.write(chunk).catch((e: unknown) => {
          throw new IoFailed(e);
        });
      });
      const verdict = check.finish();
      leftover = written === plan.size ? verdict.leftover : ['output shorter than planned'];
      if (verdict.skeleton !== null) {
        // The skeleton's media data stops after its first MiB: exiftool may warn of an audio
        // track's samples past that (a warning names a problem, never a value); the check says
        // which tracks. A video track's samples it cannot read are left out of the skeleton.
        const allowed = [...STRUCTURAL, ...verdict.skeletonAllowed];
        const v = await verifyClean(verdict.skeleton, container.ext, ctx, allowed);
        if (!v.ok) leftover.push(...v.leftover);
      }
    } catch (e) {
      out.abort();
      if (e instanceof IoFailed) throw e.original;
      return held('TOOL_FAILED', 'streaming remux failed while writing');
    }
    if (leftover.length > 0) {
      out.abort();
      return held('VERIFY_FAILED', `left after cleaning: ${leftover.join(', ')}`);
    }
    await out.end();
    const kept = [KEPT, ...(this.format === 'mp3' ? [XING_KEPT] : [])];
    return {
      status: 'clean',
      mime: container.mime,
      extension: container.ext,
      size: plan.size,
      report: { ...report, removed: plan.removed, kept, notes: [STREAMED_NOTE] },
    };
  }
}

const STREAMED_NOTE = 'cleaned as a stream (too large to hold in memory)';

/** A pass whose own failures are told apart from the streamer's. */
function guarded(pass: () => AsyncIterable<Buffer>): () => AsyncIterable<Buffer> {
  return async function* () {
    try {
      yield* pass();
    } catch (e) {
      throw new IoFailed(e);
    }
  };
}
