import { UnrecoverableError } from 'bullmq';
import { isCryptoError } from '../crypto';
import { TranslationError } from './translate';

// What a failed job hands back to BullMQ is stored in Redis (failedReason, stacktrace), so it
// must be a code and nothing else: no message from a library (pg, zod and engines quote their
// input), no stack that carries one.

/** A failure a later attempt may not have: BullMQ retries it with backoff. */
export class JobFailure extends Error {
  override readonly name = 'JobFailure';
  constructor(readonly code: string) {
    super(code);
    this.stack = `JobFailure: ${code}`;
  }
}

/** A failure no retry can fix: BullMQ fails the job at once. */
export class PermanentJobFailure extends UnrecoverableError {
  override readonly name = 'UnrecoverableError';
  constructor(readonly code: string) {
    super(code);
    this.stack = `UnrecoverableError: ${code}`;
  }
}

const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** The stable code of any error, or a generic one when it has none worth trusting. */
export function errorCode(err: unknown): string {
  if (err instanceof JobFailure || err instanceof PermanentJobFailure) return err.code;
  if (isCryptoError(err) || err instanceof TranslationError) return err.code;
  const code = (err as { code?: unknown } | null)?.code;
  // pg errors carry a SQLSTATE (e.g. 40P01), worth keeping for operators.
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return `PG_${code}`;
  if (typeof code === 'string' && CODE.test(code)) return code;
  return 'WORKER_ERROR';
}

/** Rewrites any error into one of ours, keeping only whether it is permanent and its code. */
export function toJobError(err: unknown): JobFailure | PermanentJobFailure {
  if (err instanceof JobFailure || err instanceof PermanentJobFailure) return err;
  if (err instanceof UnrecoverableError) return new PermanentJobFailure('UNRECOVERABLE');
  return new JobFailure(errorCode(err));
}
