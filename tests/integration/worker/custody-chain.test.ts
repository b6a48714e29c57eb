import { canonicalJson, verifyChain, type CustodyEntry } from '../../../core/custody';
import { withTransaction } from '../../../core/db';
import {
  appendCustodyEntry,
  listCustodyEntries,
} from '../../../core/repositories/custody.repository';
import {
  generateSignKeyPair,
  initCrypto,
  keyId,
  randomId,
  sha256Hex,
  type SignKeyPair,
} from '../../../crypto';
import { createTestDatabase, type TestDatabase } from '../../support/db';

// The custody log as `sori verify` will check it: concurrent appenders form one chain, and any
// dropped, reordered, edited or foreign-signed entry is reported at the first break.

describe('custody chain', () => {
  let db: TestDatabase;
  let signer: SignKeyPair;
  let entries: CustodyEntry[];
  let keys: Map<string, Uint8Array>;

  beforeAll(async () => {
    await initCrypto();
    db = await createTestDatabase();
    signer = generateSignKeyPair();
    keys = new Map([[keyId(signer.publicKey), signer.publicKey]]);
    // Twenty transactions at once, as many workers would: the advisory lock serialises them.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        withTransaction(db.pool, (tx) =>
          appendCustodyEntry(
            tx,
            i % 2
              ? {
                  recordId: randomId(),
                  event: 'translation-added',
                  payload: { entryId: randomId(), entrySha256: sha256Hex(`e${i}`) },
                }
              : {
                  recordId: randomId(),
                  event: 'record-created',
                  payload: {
                    submissionId: randomId(),
                    receivedSha256: sha256Hex(`r${i}`),
                    bodySha256: sha256Hex(`b${i}`),
                  },
                },
            signer,
          ),
        ),
      ),
    );
    entries = await listCustodyEntries(db.pool);
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('concurrent appends form one unbroken chain', () => {
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(verifyChain(entries, keys)).toEqual({
      ok: true,
      count: 20,
      head: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(verifyChain([], keys)).toEqual({ ok: true, count: 0, head: null });
  });

  it('reports the first break', () => {
    const at = (list: CustodyEntry[]) => verifyChain(list, keys);
    const edited = entries.map((e, i) =>
      i === 4 ? { ...e, payload: { ...e.payload, bodySha256: '00'.repeat(32) } } : e,
    );
    expect(at(edited)).toEqual({ ok: false, seq: 5, reason: 'entry-hash' });
    expect(at(entries.filter((_, i) => i !== 6))).toEqual({ ok: false, seq: 8, reason: 'seq' });
    expect(at([entries[1]!, entries[0]!])).toEqual({ ok: false, seq: 2, reason: 'seq' });
    const reseq = entries.slice(1).map((e) => ({ ...e, seq: e.seq - 1 }));
    expect(at(reseq)).toEqual({ ok: false, seq: 1, reason: 'prev-hash' });
    const forged = entries.map((e, i) => (i === 2 ? { ...e, signature: new Uint8Array(64) } : e));
    expect(at(forged)).toEqual({ ok: false, seq: 3, reason: 'signature' });
    expect(verifyChain(entries, new Map())).toEqual({
      ok: false,
      seq: 1,
      reason: 'unknown-signer',
    });
    const other = generateSignKeyPair();
    expect(
      verifyChain(entries, new Map([[keyId(signer.publicKey), other.publicKey]])),
    ).toMatchObject({ reason: 'unknown-signer' });
  });

  it('the table refuses UPDATE and DELETE', async () => {
    await expect(db.pool.query(`UPDATE custody_log SET event = 'x' WHERE seq = 1`)).rejects.toThrow(
      /append-only/,
    );
    await expect(db.pool.query(`DELETE FROM custody_log WHERE seq = 20`)).rejects.toThrow(
      /append-only/,
    );
  });

  it('canonical JSON sorts keys at every level and refuses what JSON cannot say once', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[2,{"y":null,"z":1}]},"b":1}',
    );
    expect(() => canonicalJson({ a: 1.5 })).toThrow();
    expect(() => canonicalJson({ a: () => 1 })).toThrow();
  });
});
