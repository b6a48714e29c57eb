import type { Pool } from 'pg';
import type { Bytes } from '../../crypto';
import type { EnrolmentTrust } from '../enrolment-trust';
import type { FileDeps } from './file-deps';

// What preparing one submission's attachments needs, in memory or as a stream.

export interface PrepareJob {
  db: Pool;
  /** The worker's enrolment check: only admins it believes can receive a held-back original. */
  trust: EnrolmentTrust;
  deps: FileDeps;
  submissionId: string;
  contentKey: Bytes;
  recordKey: Bytes;
}
