import { verifyChain } from '../../../core/custody';
import { createPool } from '../../../core/db';
import { listCustodyEntries } from '../../../core/repositories/custody.repository';
import { revokeReviewer } from '../../../core/repositories/reviewer.repository';
import {
  buildSubmission,
  generateSignKeyPair,
  initCrypto,
  keyId,
  type SignKeyPair,
} from '../../../crypto';
import { TRUST_DATABASE } from '../../../worker/enrolment-trust';
import { recordStoreFor } from '../../../worker/record-store';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { TEST_DATABASE_URL } from '../../support/env';
import {
  enrolReviewer,
  insertEnvelope,
  recordsFor,
  recordToStore,
  registerTestIntakeKey,
  submissionRow,
} from './worker-fixtures';

// Group commit: jobs ready at once share one transaction, yet each submission still gets
// exactly one record, one custody entry in a single chain, and one bad item fails alone.

describe('record store (group commit)', () => {
  let db: TestDatabase;
  let signer: SignKeyPair;
  let intakePublicKey: Uint8Array;

  beforeAll(async () => {
    await initCrypto();
    db = await createTestDatabase();
    signer = generateSignKeyPair();
    intakePublicKey = await registerTestIntakeKey(db.pool);
    await enrolReviewer(db.pool);
  });

  afterAll(async () => {
    await db?.drop();
  });

  const submit = (): Promise<string> =>
    insertEnvelope(
      db.pool,
      buildSubmission({ intakePublicKey: intakePublicKey, manifest: { text: '증언' } }).envelope,
    );

  const item = recordToStore;

  it('stores one record per submission, duplicates in a batch included, in one chain', async () => {
    const ids = await Promise.all(Array.from({ length: 10 }, submit));
    const store = recordStoreFor(db.pool, signer, TRUST_DATABASE);
    // The first store starts a batch alone; the rest, duplicates among them, wait and go together.
    const items = [...ids, ids[3]!, ids[7]!].map((id) => item(id));
    const outcomes = await Promise.all(items.map((i) => store.store(i)));
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(10);
    expect(outcomes.slice(10)).toEqual(['duplicate', 'duplicate']);
    for (const id of ids) {
      expect(await recordsFor(db.pool, id)).toHaveLength(1);
      expect(await submissionRow(db.pool, id)).toMatchObject({ status: 'done', sealed_key: null });
    }
    const { rows } = await db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM record_keys',
    );
    expect(rows[0]!.n).toBe(10);
    const entries = await listCustodyEntries(db.pool);
    const keys = new Map([[keyId(signer.publicKey), signer.publicKey]]);
    expect(verifyChain(entries, keys)).toMatchObject({ ok: true, count: 10 });
  });

  it('a bad item fails alone; the items batched with it are stored', async () => {
    const ids = await Promise.all(Array.from({ length: 4 }, submit));
    const store = recordStoreFor(db.pool, signer, TRUST_DATABASE);
    // 'not a language' breaks a CHECK constraint: the batch rolls back, each item goes alone.
    const items = ids.map((id, i) => item(id, i === 2 ? 'not a language' : 'ko'));
    const settled = await Promise.allSettled(items.map((i) => store.store(i)));
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(await recordsFor(db.pool, ids[2]!)).toHaveLength(0);
    expect((await submissionRow(db.pool, ids[2]!))!.status).not.toBe('done');
    const entries = await listCustodyEntries(db.pool);
    const keys = new Map([[keyId(signer.publicKey), signer.publicKey]]);
    expect(verifyChain(entries, keys)).toMatchObject({ ok: true, count: 13 });
  });

  it('an open submission that already has a record is a duplicate, and leaves no gap in the chain', async () => {
    const [lead, ...ids] = await Promise.all(Array.from({ length: 4 }, submit));
    // Not a state the worker makes (it marks a submission done with its record): written here.
    const stray = recordToStore(ids[1]!).record;
    await db.pool.query(
      `INSERT INTO records (id, submission_id, body, body_sha256, received_on)
       VALUES ($1, $2, $3, $4, '2026-01-01')`,
      [stray.id, stray.submissionId, Buffer.from(stray.body), Buffer.from(stray.bodySha256)],
    );
    const before = (await listCustodyEntries(db.pool)).length;
    const store = recordStoreFor(db.pool, signer, TRUST_DATABASE);
    // The lead goes alone; the three after it wait for its commit and go together.
    const outcomes = await Promise.all([lead!, ...ids].map((id) => store.store(item(id))));
    expect(outcomes).toEqual(['created', 'created', 'duplicate', 'created']);
    expect(await submissionRow(db.pool, ids[1]!)).toMatchObject({ status: 'done' });
    const entries = await listCustodyEntries(db.pool);
    const keys = new Map([[keyId(signer.publicKey), signer.publicKey]]);
    expect(verifyChain(entries, keys)).toMatchObject({ ok: true, count: before + 3 });
    expect(entries.some((e) => e.recordId === stray.id)).toBe(false);
  });

  it('two processes storing at once extend one chain, one record per submission', async () => {
    // A second pool and signer stand for a second worker process: both batches take the
    // custody lock in their first round trip and chain after whatever the other committed.
    const other = createPool(TEST_DATABASE_URL, { schema: db.schema, max: 5 });
    const otherSigner = generateSignKeyPair();
    try {
      const before = (await listCustodyEntries(db.pool)).length;
      const ids = await Promise.all(Array.from({ length: 16 }, submit));
      const storeA = recordStoreFor(db.pool, signer, TRUST_DATABASE);
      const storeB = recordStoreFor(other, otherSigner, TRUST_DATABASE);
      // Every submission offered to both: each gets exactly one record, whoever wins.
      const outcomes = await Promise.all(
        ids.flatMap((id, i) =>
          i % 2 === 0
            ? [storeA.store(item(id)), storeB.store(item(id))]
            : [storeB.store(item(id)), storeA.store(item(id))],
        ),
      );
      expect(outcomes.filter((o) => o === 'created')).toHaveLength(16);
      expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(16);
      for (const id of ids) expect(await recordsFor(db.pool, id)).toHaveLength(1);
      const entries = await listCustodyEntries(db.pool);
      const keys = new Map([
        [keyId(signer.publicKey), signer.publicKey],
        [keyId(otherSigner.publicKey), otherSigner.publicKey],
      ]);
      expect(verifyChain(entries, keys)).toMatchObject({ ok: true, count: before + 16 });
    } finally {
      await other.end();
    }
  });

  it('a reviewer revoked after a key was sealed ahead to them is left out', async () => {
    const store = recordStoreFor(db.pool, signer, TRUST_DATABASE);
    const second = await enrolReviewer(db.pool);
    const [first, next] = [item(await submit()), item(await submit())];
    // This commit shows the store the reviewers as they are now, second one included.
    expect(await store.store(first)).toBe('created');
    const keysOf = async (recordId: string): Promise<string[]> => {
      const { rows } = await db.pool.query<{ reviewer_id: string }>(
        'SELECT reviewer_id FROM record_keys WHERE record_id = $1',
        [recordId],
      );
      return rows.map((r) => r.reviewer_id);
    };
    expect(await keysOf(first.record.id)).toContain(second.id);
    await revokeReviewer(db.pool, second.id);
    // Sealed ahead to both, then checked under lock: only the reviewer still active gets it.
    expect(await store.store(next)).toBe('created');
    const keys = await keysOf(next.record.id);
    expect(keys).toHaveLength(1);
    expect(keys).not.toContain(second.id);
  });
});
