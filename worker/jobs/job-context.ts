import type { Pool } from 'pg';
import type { JobName, JobPayloads } from '../../core/queue';
import type { Logger } from '../../core/logger';
import type { Translator } from '../translate';
import type { WorkerKeys } from '../keys';
import type { FileDeps } from '../attachments/file-deps';

// What a job handler may use, and nothing more: least privilege is a code-level property too.

export interface JobContext {
  db: Pool;
  log: Logger;
  keys: WorkerKeys;
  translator: Translator | null;
  /** Enqueues a follow-up job (ids only); `delayMs` postpones its first attempt. */
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], delayMs?: number): Promise<void>;
  /** Delay before the first retry of an owed translation. */
  translateRetryMs: number;
  /** Blob store and originals policy for attachments; defaults (discard) when absent. */
  files?: FileDeps;
}

/** Short, content-free outcome strings: BullMQ keeps them briefly as the job's return value. */
export type JobOutcome =
  | 'created'
  | 'created-untranslated'
  | 'already-done'
  | 'already-failed'
  | 'duplicate'
  | 'translated'
  | 'nothing-owed'
  | 'ticket-spent';

export type JobHandler<N extends JobName> = (
  ctx: JobContext,
  payload: JobPayloads[N],
) => Promise<JobOutcome>;
export type JobHandlers = { [N in JobName]: JobHandler<N> };
