// The review API's wire shapes as the console reads them (server/review/API.md is the
// reference). Bytes are base64url without padding.

import type { EntryKind, RecordStatus } from '../core/repositories/review.repository';

export type { EntryKind, RecordStatus } from '../core/repositories/review.repository';
export const RECORD_STATUSES: readonly RecordStatus[] = ['new', 'in-review', 'verified', 'closed'];

export interface RecordSummary {
  id: string;
  /** The case this record belongs to: the id of the first record from the same source. */
  caseId: string;
  /** 1 for the case's first testimony, then each follow-up in the order it arrived. */
  caseSeq: number;
  receivedOn: string;
  language: string | null;
  status: RecordStatus;
  translated: boolean;
  /** How many entries of each kind the record has (what the server can count, not read). */
  entryKinds: Partial<Record<EntryKind, number>>;
}

/** GET /v1/backlog: counts only. */
/** Admins get the counts; a reviewer only whether records exist that were not sealed to them. */
export type Backlog = { pending: number; failed: number; notYours: number } | { notYours: boolean };

export interface RecordList {
  records: RecordSummary[];
  nextCursor: string | null;
}

export interface EntryWire {
  id: string;
  seq: number | string;
  kind: EntryKind;
  authorId: string | null;
  authorName: string | null;
  createdOn: string;
  body: string;
}

export interface RecordDetail {
  id: string;
  caseId: string;
  caseSeq: number;
  receivedOn: string;
  language: string | null;
  status: RecordStatus;
  translated: boolean;
  body: string;
  bodySha256: string;
  wrappedKey: string;
  entries: EntryWire[];
}

export interface ReviewerInfo {
  id: string;
  name: string;
  role: 'admin' | 'reviewer';
  boxPublicKey: string;
  signPublicKey?: string;
  enrolledOn?: string;
  revokedOn?: string | null;
  certificate?: { signer: string; signature: string } | null;
}

export interface CustodyEntryWire {
  seq: number | string;
  recordId: string | null;
  event: string;
  payload: Record<string, string>;
  prevHash: string;
  entryHash: string;
  signerId: string;
  signature: string;
}

export interface CustodyPage {
  entries: CustodyEntryWire[];
  signers: Array<{ id: string; purpose: string; publicKey: string }>;
  nextAfter?: number | null;
}
