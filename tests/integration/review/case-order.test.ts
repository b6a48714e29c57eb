import { randomBytes } from 'node:crypto';
import { withTransaction } from '../../../core/db';
import { insertRecord } from '../../../core/repositories/record.repository';
import {
  insertSubmission,
  insertSubmissionsForAcceptingKeys,
} from '../../../core/repositories/submission.repository';
import { initCrypto, randomId } from '../../../crypto';
import { createTestDatabase, type TestDatabase } from '../../support/db';

// A case follows the order in which its source sent, not the order in which the worker stored:
// a follow-up finished before its first testimony must still come second, and the case must
// take the first testimony's id (migration 008).

describe('cases: the source order, whatever the processing order', () => {
  let db: TestDatabase;
  const KEY = 'key-case-order';

  beforeAll(async () => {
    await initCrypto();
    db = await createTestDatabase();
    await db.pool.query(
      `INSERT INTO intake_keys (id, public_key, fingerprint, status) VALUES ($1, $2, 'x', 'current')`,
      [KEY, randomBytes(32)],
    );
  });
  afterAll(() => db.drop());

  const submission = (token: Buffer | null) => ({
    id: randomId(),
    intakeKeyId: KEY,
    sealedKey: randomBytes(81),
    manifest: randomBytes(40),
    envelopeSha256: randomBytes(32),
    sourceTokenHash: token,
  });

  async function store(submissionId: string): Promise<string> {
    const id = randomId();
    await withTransaction(db.pool, (tx) =>
      insertRecord(tx, {
        id,
        submissionId,
        body: randomBytes(64),
        bodySha256: randomBytes(32),
        receivedOn: new Date().toISOString().slice(0, 10),
        language: 'ko',
        translated: false,
      }),
    );
    return id;
  }

  async function caseOf(
    ids: string[],
  ): Promise<Array<{ id: string; caseId: string; seq: number }>> {
    const { rows } = await db.pool.query<{ id: string; case_id: string; case_seq: number }>(
      'SELECT id, case_id, case_seq FROM records WHERE id = ANY($1::uuid[]) ORDER BY case_seq',
      [ids],
    );
    return rows.map((r) => ({ id: r.id, caseId: r.case_id, seq: r.case_seq }));
  }

  it('numbers a source submissions in the order they arrive, one statement or many', async () => {
    const token = randomBytes(32);
    const a = submission(token);
    await insertSubmission(db.pool, a);
    const [b, c] = [submission(token), submission(token)];
    await insertSubmissionsForAcceptingKeys(db.pool, [b, c]);
    const other = submission(randomBytes(32));
    await insertSubmission(db.pool, other);
    const { rows } = await db.pool.query<{ id: string; source_seq: number }>(
      'SELECT id, source_seq FROM submissions WHERE id = ANY($1::uuid[])',
      [[a.id, b.id, c.id, other.id]],
    );
    const seq = Object.fromEntries(rows.map((r) => [r.id, r.source_seq]));
    expect([seq[a.id], seq[b.id], seq[c.id], seq[other.id]]).toEqual([1, 2, 3, 1]);
  });

  it('puts a follow-up stored before its testimony second, and the case takes the testimony id', async () => {
    const token = randomBytes(32);
    const [first, second, third] = [submission(token), submission(token), submission(token)];
    for (const s of [first, second, third]) await insertSubmission(db.pool, s);

    const followUp2 = await store(third.id);
    const followUp1 = await store(second.id);
    expect(await caseOf([followUp2, followUp1])).toEqual([
      { id: followUp1, caseId: followUp1, seq: 1 },
      { id: followUp2, caseId: followUp1, seq: 2 },
    ]);

    const testimony = await store(first.id);
    expect(await caseOf([testimony, followUp1, followUp2])).toEqual([
      { id: testimony, caseId: testimony, seq: 1 },
      { id: followUp1, caseId: testimony, seq: 2 },
      { id: followUp2, caseId: testimony, seq: 3 },
    ]);
  });

  it('keeps a record without a receipt a case of its own', async () => {
    const lone = submission(null);
    await insertSubmission(db.pool, lone);
    const id = await store(lone.id);
    expect(await caseOf([id])).toEqual([{ id, caseId: id, seq: 1 }]);
    const { rows } = await db.pool.query<{ source_seq: number | null }>(
      'SELECT source_seq FROM submissions WHERE id = $1',
      [lone.id],
    );
    expect(rows[0]!.source_seq).toBeNull();
  });
});
