import { JOB_NAMES, type JobName } from '../../core/queue';
import type { JobHandlers } from './job-context';
import { processSubmissionJob } from './process-submission.job';
import { retryTranslationJob } from './retry-translation.job';

// Every job name maps to exactly one handler and one payload schema (core/queue.ts). The type makes a missing
// entry a compile error; assertHandlers makes it a start-up error for whatever slips past
// (a JobName added in core/queue.ts while this map is edited elsewhere).

export const JOB_HANDLERS: JobHandlers = {
  'process-submission': processSubmissionJob,
  'retry-translation': retryTranslationJob,
};

export function assertHandlers(
  handlers: Partial<Record<string, unknown>>,
  payloads: Partial<Record<string, unknown>>,
): void {
  for (const name of JOB_NAMES) {
    if (typeof handlers[name] !== 'function')
      throw new Error(`No handler for job '${name}': refusing to start`);
    if (!payloads[name]) throw new Error(`No payload schema for job '${name}': refusing to start`);
  }
  for (const name of Object.keys(handlers)) {
    if (!(JOB_NAMES as readonly string[]).includes(name))
      throw new Error(`Handler for unknown job '${name}'`);
  }
}

export function isJobName(name: string): name is JobName {
  return (JOB_NAMES as readonly string[]).includes(name);
}
