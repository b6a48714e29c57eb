import { nextCustodyEntry, type CustodyEntry } from '../../../core/custody';
import { checkChain, custodyFor, type CustodyLog } from '../../../console/custody';
import { generateSignKeyPair, initCrypto, keyId, toBase64, toHex } from '../../../crypto';

// The console's reading of the custody log as the API serves it (hex hashes, base64url
// signatures), with a real chain signed by a real key.

const wire = (e: CustodyEntry) => ({
  seq: e.seq,
  recordId: e.recordId,
  event: e.event,
  payload: e.payload as Record<string, string>,
  prevHash: toHex(e.prevHash),
  entryHash: toHex(e.entryHash),
  signerId: e.signerId,
  signature: toBase64(e.signature),
});

describe('console custody check', () => {
  let log: CustodyLog;

  beforeAll(async () => {
    await initCrypto();
    const signer = generateSignKeyPair();
    const entries: CustodyEntry[] = [];
    for (const recordId of ['r1', 'r2', 'r1']) {
      const draft = {
        recordId,
        event: 'record-created' as const,
        payload: { submissionId: 's', receivedSha256: 'a'.repeat(64), bodySha256: 'b'.repeat(64) },
      };
      entries.push(nextCustodyEntry(entries[entries.length - 1] ?? null, draft, signer));
    }
    log = {
      entries: entries.map(wire),
      signers: [
        {
          id: keyId(signer.publicKey),
          purpose: 'worker-sign',
          publicKey: toBase64(signer.publicKey),
        },
      ],
    };
  });

  it('accepts an intact chain', () => {
    expect(checkChain(log)).toMatchObject({ ok: true, count: 3 });
  });

  it('names the first entry whose content, link, signature or encoding is wrong', () => {
    const at = (i: number, change: (e: CustodyLog['entries'][number]) => void): CustodyLog => {
      const copy = structuredClone(log);
      change(copy.entries[i]!);
      return copy;
    };
    expect(checkChain(at(1, (e) => (e.payload.bodySha256 = 'c'.repeat(64))))).toEqual({
      ok: false,
      problem: { seq: 2, reason: 'entry-hash' },
    });
    expect(checkChain(at(2, (e) => (e.prevHash = '0'.repeat(64))))).toEqual({
      ok: false,
      problem: { seq: 3, reason: 'prev-hash' },
    });
    const sig = log.entries[0]!.signature;
    expect(
      checkChain(at(0, (e) => (e.signature = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1)))),
    ).toMatchObject({ ok: false, problem: { seq: 1 } });
    expect(checkChain(at(1, (e) => (e.entryHash = 'zz')))).toEqual({
      ok: false,
      problem: { seq: 2, reason: 'malformed' },
    });
    expect(checkChain({ ...log, signers: [] })).toEqual({
      ok: false,
      problem: { seq: 1, reason: 'unknown-signer' },
    });
  });

  it('gives a record its entries and the chain prefix that proves them', () => {
    const r2 = custodyFor(log, 'r2');
    expect(r2.entries.map((e) => e.seq)).toEqual([2]);
    expect(r2.chain.map((e) => e.seq)).toEqual([1, 2]);
    expect(custodyFor(log, 'r1').chain).toHaveLength(3);
  });
});
