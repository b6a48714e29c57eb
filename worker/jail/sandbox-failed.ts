import { detectFormat } from '../sanitise/detect-format';
import type { FileSanitiseReport, SanitiseResult } from '../sanitise/types';
import type { JailFailed } from './jail';

// A file whose jail failed it: held back with the jail's code and a note a reviewer can read.

/** What a reviewer reads for each way a jail can fail. */
export const JAIL_FAILURE_NOTES: Record<JailFailed['code'], string> = {
  SANDBOX_CRASHED: 'the sanitiser crashed on this file (in its jail)',
  SANDBOX_LIMIT: 'the sanitiser hit a resource limit of its jail on this file',
  SANDBOX_TIMEOUT: 'the sanitiser ran past its deadline on this file',
  SANDBOX_BAD_ANSWER: 'the sanitiser jail gave an answer that failed the worker’s checks',
};

export function sandboxFailed(code: JailFailed['code'], format: string): SanitiseResult {
  const report: FileSanitiseReport = {
    format,
    removed: [],
    kept: [],
    notes: [JAIL_FAILURE_NOTES[code]],
  };
  return { status: 'unsanitised', reason: code, report };
}

/** The format by magic bytes only: the worker parses nothing of a file beyond its first bytes. */
export function formatOf(head: Buffer): string {
  return detectFormat(head.subarray(0, 64)) ?? 'unknown';
}
