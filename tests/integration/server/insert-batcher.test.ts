import { initCrypto, randomBytes, randomId } from '../../../crypto';
import {
  insertSubmissionForAcceptingKey,
  type NewSubmission,
} from '../../../core/repositories/submission.repository';
import { createInsertBatcher } from '../../../server/intake/insert-batcher';
import { insertTestIntakeKey } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';

// The intake's group commit: many rows per statement under load, and still each caller learns
// whether its own row was committed.

describe('insert batcher', () => {
  let db: TestDatabase;
  let keyId: string;

  beforeAll(async () => {
    await initCrypto();
    db = await createTestDatabase();
    keyId = (await insertTestIntakeKey(db.pool)).id;
  });
  afterAll(() => db.drop());

  const row = (over: Partial<NewSubmission> = {}): NewSubmission => ({
    id: randomId(),
    intakeKeyId: keyId,
    sealedKey: Uint8Array.of(1, ...randomBytes(80)),
    manifest: Uint8Array.of(1, ...randomBytes(4136)),
    envelopeSha256: randomBytes(32),
    sourceTokenHash: null,
    ...over,
  });
  const count = async (ids: string[]) =>
    Number(
      (await db.pool.query('SELECT count(*) FROM submissions WHERE id = ANY($1::uuid[])', [ids]))
        .rows[0].count,
    );

  it('commits every row of a concurrent burst and answers each caller', async () => {
    const batcher = createInsertBatcher(db.pool);
    const rows = Array.from({ length: 150 }, () => row());
    const results = await Promise.all(rows.map((r) => batcher.insert(r)));
    expect(results.every(Boolean)).toBe(true);
    expect(await count(rows.map((r) => r.id))).toBe(150);
  });

  it('commits a lone row beside a batch whose commit is held up', async () => {
    const batcher = createInsertBatcher(db.pool, { maxWriters: 2 });
    const held = row();
    // Another transaction writes the same id and stays open: the batch with `held` waits on it.
    const blocker = await db.pool.connect();
    try {
      await blocker.query('BEGIN');
      expect(await insertSubmissionForAcceptingKey(blocker, held)).toBe(true);
      const waiting = batcher.insert(held);
      const lone = row();
      expect(await batcher.insert(lone)).toBe(true);
      expect(await count([lone.id])).toBe(1);
      await blocker.query('ROLLBACK');
      expect(await waiting).toBe(true);
    } finally {
      blocker.release();
    }
    expect(await count([held.id])).toBe(1);
  });

  it('answers false for a row whose key is unknown, without failing its neighbours', async () => {
    const batcher = createInsertBatcher(db.pool);
    const good = Array.from({ length: 10 }, () => row());
    const bad = row({ intakeKeyId: 'k1_AAAAAAAAAAAAAAAA' });
    const results = await Promise.all([...good, bad].map((r) => batcher.insert(r)));
    expect(results).toEqual([...good.map(() => true), false]);
    expect(await count([bad.id])).toBe(0);
  });

  it('lets exactly one of two envelopes under the same id in', async () => {
    const batcher = createInsertBatcher(db.pool);
    const first = row();
    const second = row({ id: first.id });
    const filler = Array.from({ length: 5 }, () => row());
    const results = await Promise.all([first, ...filler, second].map((r) => batcher.insert(r)));
    expect([results[0], results[results.length - 1]]).toEqual([true, false]);
    const stored = await db.pool.query('SELECT envelope_sha256 FROM submissions WHERE id = $1', [
      first.id,
    ]);
    expect(
      Buffer.from(stored.rows[0].envelope_sha256).equals(Buffer.from(first.envelopeSha256)),
    ).toBe(true);
  });

  it('falls back to one row at a time when a batch fails, so one bad row fails alone', async () => {
    const batcher = createInsertBatcher(db.pool);
    const good = Array.from({ length: 4 }, () => row());
    // Violates the sealed_key length CHECK: the batch statement fails as a whole.
    const broken = row({ sealedKey: Uint8Array.of(1, 2, 3) });
    const settled = await Promise.allSettled([...good, broken].map((r) => batcher.insert(r)));
    expect(settled.slice(0, 4).map((s) => s.status)).toEqual(Array(4).fill('fulfilled'));
    expect(settled[4]!.status).toBe('rejected');
    expect(await count(good.map((r) => r.id))).toBe(4);
  });
});
