import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../core/config';
import {
  insertReviewer,
  listActiveReviewerRows,
  revokeReviewer,
} from '../../../core/repositories/reviewer.repository';
import {
  buildSubmission,
  generateBoxKeyPair,
  generateSignKeyPair,
  initCrypto,
  randomId,
  signEnrolment,
  toBase64,
  type EnrolmentRole,
  type SignKeyPair,
} from '../../../crypto';
import { createEnrolmentTrust } from '../../../worker/enrolment-trust';
import { loadEnrolmentRoots } from '../../../worker/keys';
import { recordStoreFor, type RecordToStore } from '../../../worker/record-store';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { insertEnvelope, recordToStore, registerTestIntakeKey } from './worker-fixtures';

// With ENROLMENT_ROOTS set, a reviewer row someone wrote into the database is not a reader:
// record keys go only to rows whose certificate chains to a root, and a record waits
// (NO_REVIEWERS) rather than be sealed to no one or to the wrong people.

describe('worker: enrolment certificates decide who gets a record key', () => {
  let db: TestDatabase;
  let intakePublicKey: Uint8Array;
  const root = () => rootKey;
  let rootKey: SignKeyPair;

  beforeAll(async () => {
    await initCrypto();
    db = await createTestDatabase();
    rootKey = generateSignKeyPair();
    intakePublicKey = await registerTestIntakeKey(db.pool);
  });
  afterAll(async () => db?.drop());

  async function enrol(name: string, role: EnrolmentRole, by: SignKeyPair | null) {
    const sign = generateSignKeyPair();
    const statement = {
      role,
      boxPublicKey: generateBoxKeyPair().publicKey,
      signPublicKey: sign.publicKey,
    };
    const id = randomId();
    const certificate = by ? signEnrolment(statement, by) : undefined;
    await insertReviewer(db.pool, { id, name, ...statement, certificate });
    return { id, sign };
  }

  const item = async (): Promise<RecordToStore> => {
    const envelope = buildSubmission({ intakePublicKey, manifest: { text: '증언' } }).envelope;
    return recordToStore(await insertEnvelope(db.pool, envelope));
  };

  const keyHolders = async (recordId: string): Promise<string[]> =>
    (
      await db.pool.query<{ reviewer_id: string }>(
        'SELECT reviewer_id FROM record_keys WHERE record_id = $1 ORDER BY reviewer_id',
        [recordId],
      )
    ).rows.map((r) => r.reviewer_id);

  it('seals to the certified chain only, and waits when revocation breaks it', async () => {
    // A file as an operator writes it: the root's public key, a comment-free list.
    const rootsFile = join(tmpdir(), `sori-roots-${randomId()}`);
    writeFileSync(rootsFile, `${toBase64(root().publicKey)}\n`);
    const roots = loadEnrolmentRoots(
      loadConfig({ ...process.env, ENROLMENT_ROOTS_FILE: rootsFile }),
    );
    const trust = createEnrolmentTrust(roots);
    const store = recordStoreFor(db.pool, generateSignKeyPair(), trust);

    const admin = await enrol('ada', 'admin', root());
    const reviewer = await enrol('ben', 'reviewer', admin.sign);
    await enrol('mallory', 'reviewer', null); // written straight into the table
    await enrol('eve', 'admin', generateSignKeyPair()); // certified by a key nobody trusts

    const first = await item();
    expect(await store.store(first)).toBe('created');
    expect(await keyHolders(first.record.id)).toEqual([admin.id, reviewer.id].sort());

    // Revoking the admin drops everyone they certified: no one left, so the record waits.
    await revokeReviewer(db.pool, admin.id);
    const second = await item();
    await expect(store.store(second)).rejects.toMatchObject({ code: 'NO_REVIEWERS' });
    const direct = await enrol('cho', 'reviewer', root());
    expect(await store.store(second)).toBe('created');
    expect(await keyHolders(second.record.id)).toEqual([direct.id]);
    // What the worker counts at start (worker.enrolment_checked / reviewers_uncertified).
    const active = await listActiveReviewerRows(db.pool);
    expect(active).toHaveLength(4); // ben, mallory, eve, cho
    expect(trust.trusted(active).map((r) => r.id)).toEqual([direct.id]);
  });

  it('refuses a roots setting it cannot read, without echoing it', () => {
    const bad = { ...process.env, ENROLMENT_ROOTS: 'not-a-key!' };
    expect(() => loadEnrolmentRoots(loadConfig(bad))).toThrow(ConfigError);
    const short = { ...process.env, ENROLMENT_ROOTS: toBase64(new Uint8Array(31)) };
    expect(() => loadEnrolmentRoots(loadConfig(short))).toThrow(/32-byte Ed25519/);
    expect(loadEnrolmentRoots(loadConfig({ ...process.env, ENROLMENT_ROOTS: ' ' }))).toEqual([]);
    // Set but holding no key is a mistake, not a way to switch the check off.
    const empty = { ...process.env, ENROLMENT_ROOTS: ',' };
    expect(() => loadEnrolmentRoots(loadConfig(empty))).toThrow(/no key in it/);
  });
});
