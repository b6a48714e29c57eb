import type { Pool } from 'pg';
import type { CustodyDraft, CustodySigner } from '../core/custody';
import { withTransaction, type Tx } from '../core/db';
import {
  appendCustodyEntriesAfter,
  chainCustodyEntries,
} from '../core/repositories/custody.repository';
import {
  storeRecordsAndComplete,
  type StoredRecord,
} from '../core/repositories/processing.repository';
import { beginRecordBatch } from '../core/repositories/record-batch.repository';
import type { NewRecord } from '../core/repositories/record.repository';
import type { ReviewerKey } from '../core/repositories/reviewer.repository';
import type { EnrolmentTrust } from './enrolment-trust';
import { toHex, wrapRecordKeyToMany } from '../crypto';
import { JobFailure } from './job-errors';
import type { FilesToLink } from './attachments/file-writer';
import { storeRecordFiles } from './attachments/store-files';

// Group commit for records: the jobs of one process ready while a batch commits go together in
// the next transaction, one flush for all, since the custody lock serialises every store.

export interface RecordToStore {
  record: NewRecord;
  /** Sealed to each active reviewer inside the transaction, so a revoked one is left out. */
  recordKey: Uint8Array;
  pendingKey: Uint8Array | null;
  /** The job ticket of the owed translation, with pendingKey. */
  pendingTicket?: string | null;
  envelopeSha256: Uint8Array;
  /** File blobs written ahead for this record, linked (and their keys sealed) in the transaction. */
  files?: FilesToLink | null;
}

/** 'created', or 'duplicate' when the submission was done by another job first. */
export type StoreOutcome = 'created' | 'duplicate';

/** The record key sealed ahead, outside the transaction, to the reviewers last seen active. */
interface SealedAhead {
  reviewers: readonly ReviewerKey[];
  keys: StoredRecord['keys'];
}

interface Waiting {
  item: RecordToStore;
  sealed: SealedAhead | null;
  resolve: (outcome: StoreOutcome) => void;
  reject: (err: unknown) => void;
}

const MAX_BATCH = 32;

export interface RecordStore {
  store(item: RecordToStore): Promise<StoreOutcome>;
}

const stores = new WeakMap<Pool, WeakMap<CustodySigner, RecordStore>>();

/**
 * One group-commit queue per pool and custody signer (the worker process has one of each);
 * `trust` is the worker's, fixed with its keys, so the first call's is the store's.
 */
export function recordStoreFor(
  db: Pool,
  signer: CustodySigner,
  trust: EnrolmentTrust,
): RecordStore {
  let bySigner = stores.get(db);
  if (!bySigner) stores.set(db, (bySigner = new WeakMap()));
  let store = bySigner.get(signer);
  if (!store) bySigner.set(signer, (store = createRecordStore(db, signer, trust)));
  return store;
}

function createRecordStore(db: Pool, signer: CustodySigner, trust: EnrolmentTrust): RecordStore {
  const queue: Waiting[] = [];
  let busy = false;
  // Sealing is most of the CPU a store needs: done before the transaction, to the reviewers the
  // last one saw, and redone inside it only if they changed (storeBatch checks under lock).
  let lastReviewers: readonly ReviewerKey[] = [];

  const pump = (): void => {
    if (busy || queue.length === 0) return;
    busy = true;
    const batch = queue.splice(0, MAX_BATCH);
    void runBatch(db, signer, trust, batch, (seen) => (lastReviewers = seen)).finally(() => {
      busy = false;
      pump();
    });
  };

  return {
    store: (item) =>
      new Promise<StoreOutcome>((resolve, reject) => {
        const reviewers = lastReviewers;
        const sealed =
          reviewers.length > 0 ? { reviewers, keys: sealTo(item.recordKey, reviewers) } : null;
        queue.push({ item, sealed, resolve, reject });
        pump();
      }),
  };
}

const sealTo = (recordKey: Uint8Array, reviewers: readonly ReviewerKey[]): StoredRecord['keys'] => {
  const wrapped = wrapRecordKeyToMany(
    recordKey,
    reviewers.map((r) => r.boxPublicKey),
  );
  return reviewers.map((r, i) => ({ reviewerId: r.id, wrappedKey: wrapped[i]! }));
};

const sameReviewers = (a: readonly ReviewerKey[], b: readonly ReviewerKey[]): boolean =>
  a.length === b.length &&
  a.every((r, i) => r.id === b[i]!.id && r.boxPublicKey.equals(b[i]!.boxPublicKey));

async function runBatch(
  db: Pool,
  signer: CustodySigner,
  trust: EnrolmentTrust,
  batch: Waiting[],
  onReviewers: (seen: readonly ReviewerKey[]) => void,
): Promise<void> {
  try {
    const { outcomes, reviewers } = await withTransaction(
      db,
      (tx) => storeBatch(tx, signer, trust, batch),
      {
        fnBegins: true, // beginRecordBatch sends BEGIN with the locks it takes
      },
    );
    onReviewers(reviewers);
    batch.forEach((w, i) => {
      const outcome = outcomes[i]!;
      if (outcome instanceof JobFailure) w.reject(outcome);
      else w.resolve(outcome);
    });
  } catch (err) {
    if (batch.length === 1) return batch[0]!.reject(err);
    // One bad item must not fail the jobs it was batched with: each goes again on its own.
    for (const w of batch) await runBatch(db, signer, trust, [w], onReviewers);
  }
}

async function storeBatch(
  tx: Tx,
  signer: CustodySigner,
  trust: EnrolmentTrust,
  batch: readonly Waiting[],
): Promise<{
  outcomes: Array<StoreOutcome | JobFailure>;
  /** As read under lock. */
  reviewers: readonly ReviewerKey[];
}> {
  const items = batch.map((w) => w.item);
  // One round trip: BEGIN, the submissions' row locks (duplicate jobs queue up on them; the
  // losers find their submission done), the reviewers read under lock (one revoked meanwhile
  // is not handed the key), the custody lock and the chain head.
  const { open, reviewers, admins, head } = await beginRecordBatch(
    tx,
    items.map((i) => i.record.submissionId),
    (rows) => trust.trusted(rows),
  );
  if (open.size === 0) return { outcomes: items.map(() => 'duplicate'), reviewers };
  const heldBack = (i: RecordToStore): boolean => (i.files?.heldBack.length ?? 0) > 0;
  const outcomes: Array<StoreOutcome | JobFailure> = [];
  const toStore: Array<StoredRecord & { item: RecordToStore }> = [];
  for (const { item, sealed } of batch) {
    const { submissionId } = item.record;
    // Two jobs for one submission in one batch: the first stores, the second is a duplicate.
    if (!open.delete(submissionId)) outcomes.push('duplicate');
    // A record no one can read would be a testimony lost: wait (retry) for a reviewer instead.
    else if (reviewers.length === 0) outcomes.push(new JobFailure('NO_REVIEWERS'));
    // An admin revoked since the files were written: retry, the next attempt sees none.
    else if (heldBack(item) && admins.length === 0) outcomes.push(new JobFailure('NO_ADMINS'));
    else {
      outcomes.push('created');
      toStore.push({
        item,
        record: item.record,
        keys:
          sealed && sameReviewers(sealed.reviewers, reviewers)
            ? sealed.keys
            : sealTo(item.recordKey, reviewers),
        pendingKey: item.pendingKey,
        pendingTicket: item.pendingTicket ?? null,
      });
    }
  }
  if (toStore.length === 0) return { outcomes, reviewers };
  // The custody entries go with the records, in their statement: chained after the head read
  // under the custody lock (held to COMMIT), appended only if every record went in.
  const { inserted, custodyAppended } = await storeRecordsAndComplete(
    tx,
    toStore,
    chainCustodyEntries(
      head,
      toStore.map(({ item }) => custodyDraft(item)),
      signer,
    ),
  );
  const created = toStore.filter((s) => inserted.has(s.record.id));
  // A submission that already had a record (not open, so not expected here) is a duplicate.
  for (const s of toStore)
    if (!inserted.has(s.record.id)) outcomes[items.indexOf(s.item)] = 'duplicate';
  // ...and its entry is not in the chain: the records that were stored get theirs here.
  if (!custodyAppended)
    await appendCustodyEntriesAfter(
      tx,
      head,
      created.map(({ item }) => custodyDraft(item)),
      signer,
    );
  await storeRecordFiles(
    tx,
    created.map(({ item }) => ({
      recordId: item.record.id,
      submissionId: item.record.submissionId,
      files: item.files ?? null,
    })),
    admins,
  );
  return { outcomes, reviewers };
}

const custodyDraft = (item: RecordToStore): CustodyDraft => ({
  recordId: item.record.id,
  event: 'record-created',
  payload: {
    submissionId: item.record.submissionId,
    receivedSha256: toHex(item.envelopeSha256),
    bodySha256: toHex(item.record.bodySha256),
  },
});
