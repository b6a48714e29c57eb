import { verifyChain } from '../../../core/custody';
import { appendCustodyEntry } from '../../../core/repositories/custody.repository';
import { registerServiceKey } from '../../../core/repositories/service-key.repository';
import { fromBase64, fromHex, generateSignKeyPair, keyId, toBase64 } from '../../../crypto';
import { auditActions } from './review-fixtures';
import { code, type ReviewTestApp, type SeededRecord, type TestReviewer } from './review-fixtures';
import { startRecordsScenario, type RecordsScenario } from './records-scenario';

// What every reviewer may read besides records: the reviewers' public keys and the custody log.

describe('review API: reviewers and custody', () => {
  let s: RecordsScenario;
  let app: ReviewTestApp;
  let alice: TestReviewer;
  let carol: TestReviewer;
  let carolToken: string;
  let records: SeededRecord[];

  beforeAll(async () => {
    s = await startRecordsScenario();
    ({ app, alice, carol, carolToken, records } = s);
  });
  afterAll(async () => s.app.close());

  const get = (path: string, token?: string) => s.get(path, token);

  it('lists reviewers with their public keys', async () => {
    const res = await get('/v1/reviewers', carolToken);
    expect(res.status).toBe(200);
    expect(res.json.reviewers).toContainEqual(
      expect.objectContaining({
        id: carol.id,
        name: 'carol',
        role: 'reviewer',
        boxPublicKey: toBase64(carol.keys.box.publicKey),
        revokedOn: null,
      }),
    );
  });

  it('serves the custody log with its signers, verifiable as served', async () => {
    const signer = generateSignKeyPair();
    await registerServiceKey(app.pool, {
      id: keyId(signer.publicKey),
      purpose: 'worker-sign',
      publicKey: signer.publicKey,
    });
    for (const r of records.slice(0, 3)) {
      const payload = {
        submissionId: r.submissionId,
        receivedSha256: '00'.repeat(32),
        bodySha256: '11'.repeat(32),
      };
      await appendCustodyEntry(
        app.pool,
        { recordId: r.id, event: 'record-created', payload },
        signer,
      );
    }
    const res = await get('/v1/custody?after=0&limit=1000');
    expect(res.status).toBe(200);
    expect(res.json.signers).toEqual([
      {
        id: keyId(signer.publicKey),
        purpose: 'worker-sign',
        publicKey: toBase64(signer.publicKey),
      },
    ]);
    type Wire = {
      seq: number;
      recordId: string;
      event: string;
      payload: Record<string, string>;
      prevHash: string;
      entryHash: string;
      signerId: string;
      signature: string;
    };
    const entries = (res.json.entries as Wire[]).map((e) => ({
      ...e,
      prevHash: fromHex(e.prevHash),
      entryHash: fromHex(e.entryHash),
      signature: fromBase64(e.signature),
    }));
    expect(
      verifyChain(entries, new Map([[keyId(signer.publicKey), signer.publicKey]])),
    ).toMatchObject({ ok: true, count: 3 });
    expect((await get('/v1/custody?after=2')).json.entries.map((e: Wire) => e.seq)).toEqual([3]);
    expect(code(await get('/v1/custody?after=-1'))).toBe('INVALID_REQUEST');
  });

  it('audits custody reads', async () => {
    const audit = await auditActions(app.pool);
    expect(audit).toContainEqual({
      reviewer_id: alice.id,
      action: 'custody.read',
      record_id: null,
    });
  });
});
