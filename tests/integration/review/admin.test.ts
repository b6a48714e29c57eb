import { listActiveReviewerRows } from '../../../core/repositories/reviewer.repository';
import {
  fingerprint,
  generateBoxKeyPair,
  generateReviewerKeys,
  keyId,
  randomId,
  signEnrolment,
  toBase64,
  wrapRecordKey,
} from '../../../crypto';
import {
  auditActions,
  call,
  code,
  enrol,
  login,
  seedRecord,
  startReviewApp,
  type ReviewTestApp,
  type TestReviewer,
} from './review-fixtures';

// Operator actions: enrolment, revocation (immediate), intake-key rotation.

describe('review API: admin', () => {
  let app: ReviewTestApp;
  let root: TestReviewer;
  let token: string;

  beforeAll(async () => {
    app = await startReviewApp();
    root = await enrol(app.pool, 'root', 'admin');
    token = await login(app.url, root);
  });
  afterAll(async () => app.close());

  const as = (t: string) => ({
    get: (path: string) => call(app.url, 'GET', path, { token: t }),
    post: (path: string, body?: unknown) => call(app.url, 'POST', path, { token: t, body }),
    put: (path: string, body: unknown) => call(app.url, 'PUT', path, { token: t, body }),
  });
  const admin = () => as(token);

  it('enrols a reviewer by public keys; they can log in', async () => {
    const keys = generateReviewerKeys();
    const body = {
      name: 'erin',
      role: 'reviewer',
      boxPublicKey: toBase64(keys.box.publicKey),
      signPublicKey: toBase64(keys.sign.publicKey),
    };
    const res = await admin().post('/v1/admin/reviewers', body);
    expect(res.status).toBe(201);
    const erin = { id: res.json.id as string, name: 'erin', keys };
    expect((await as(await login(app.url, erin)).get('/v1/me')).json.name).toBe('erin');
    const dupName = await admin().post('/v1/admin/reviewers', {
      ...body,
      boxPublicKey: toBase64(generateBoxKeyPair().publicKey),
    });
    expect([dupName.status, code(dupName)]).toEqual([409, 'REVIEWER_EXISTS']);
    const dupKey = await admin().post('/v1/admin/reviewers', { ...body, name: 'erin2' });
    expect([dupKey.status, code(dupKey)]).toEqual([409, 'REVIEWER_EXISTS']);
    const badName = await admin().post('/v1/admin/reviewers', { ...body, name: 'Erin Smith' });
    expect([badName.status, code(badName)]).toEqual([400, 'INVALID_REQUEST']);
    const badRole = await admin().post('/v1/admin/reviewers', {
      ...body,
      name: 'erin3',
      role: 'root',
    });
    expect([badRole.status, code(badRole)]).toEqual([400, 'INVALID_REQUEST']);
  });

  it('stores an enrolment certificate that covers the keys and role, refuses one that does not', async () => {
    const keys = generateReviewerKeys();
    const statement = {
      role: 'reviewer' as const,
      boxPublicKey: keys.box.publicKey,
      signPublicKey: keys.sign.publicKey,
    };
    const cert = signEnrolment(statement, root.keys.sign);
    const body = {
      name: 'gita',
      role: 'reviewer',
      boxPublicKey: toBase64(keys.box.publicKey),
      signPublicKey: toBase64(keys.sign.publicKey),
      certificate: { signer: toBase64(cert.signer), signature: toBase64(cert.signature) },
    };
    // The same signature presented for the admin role covers a different statement.
    const promoted = await admin().post('/v1/admin/reviewers', { ...body, role: 'admin' });
    expect([promoted.status, code(promoted)]).toEqual([400, 'ENROLMENT_CERTIFICATE_INVALID']);
    const short = await admin().post('/v1/admin/reviewers', {
      ...body,
      certificate: { ...body.certificate, signature: toBase64(cert.signature.subarray(0, 63)) },
    });
    expect([short.status, code(short)]).toEqual([400, 'BAD_LENGTH']);

    const res = await admin().post('/v1/admin/reviewers', body);
    expect(res.status).toBe(201);
    const { rows } = await app.pool.query<{ cert_signer: Buffer; cert_signature: Buffer }>(
      'SELECT cert_signer, cert_signature FROM reviewers WHERE id = $1',
      [res.json.id],
    );
    expect(rows[0]!.cert_signer.equals(Buffer.from(root.keys.sign.publicKey))).toBe(true);
    expect(rows[0]!.cert_signature.equals(Buffer.from(cert.signature))).toBe(true);
  });

  it('attaches a certificate to a reviewer enrolled without one, checked against the row', async () => {
    const legacy = await enrol(app.pool, 'hana'); // as enrolled before ENROLMENT_ROOTS
    const statement = {
      role: 'reviewer' as const,
      boxPublicKey: legacy.keys.box.publicKey,
      signPublicKey: legacy.keys.sign.publicKey,
    };
    const cert = signEnrolment(statement, root.keys.sign);
    const body = { signer: toBase64(cert.signer), signature: toBase64(cert.signature) };
    const path = `/v1/admin/reviewers/${legacy.id}/certificate`;
    const asAdmin = signEnrolment({ ...statement, role: 'admin' }, root.keys.sign);
    const promoted = await admin().post(path, { ...body, signature: toBase64(asAdmin.signature) });
    expect([promoted.status, code(promoted)]).toEqual([400, 'ENROLMENT_CERTIFICATE_INVALID']);
    // Covering the row, but signed by a key that is not the caller's: a session alone cannot
    // replace a certificate.
    const stranger = signEnrolment(statement, generateReviewerKeys().sign);
    const notYours = await admin().post(path, {
      signer: toBase64(stranger.signer),
      signature: toBase64(stranger.signature),
    });
    expect([notYours.status, code(notYours)]).toEqual([400, 'CERTIFICATE_NOT_YOURS']);
    const missing = await admin().post(`/v1/admin/reviewers/${randomId()}/certificate`, body);
    expect([missing.status, code(missing)]).toEqual([404, 'REVIEWER_NOT_FOUND']);

    const res = await admin().post(path, body);
    expect([res.status, res.json]).toEqual([200, { id: legacy.id }]);
    const { rows } = await app.pool.query<{ cert_signature: Buffer }>(
      'SELECT cert_signature FROM reviewers WHERE id = $1',
      [legacy.id],
    );
    expect(rows[0]!.cert_signature.equals(Buffer.from(cert.signature))).toBe(true);
    expect((await auditActions(app.pool)).map((a) => a.action)).toContain('reviewer.certify');

    await admin().post(`/v1/admin/reviewers/${legacy.id}/revoke`);
    const revoked = await admin().post(path, body);
    expect([revoked.status, code(revoked)]).toEqual([409, 'REVIEWER_REVOKED']);
  });

  it('revocation is immediate: next request 403, keys gone, no new records', async () => {
    const frank = await enrol(app.pool, 'frank');
    const record = await seedRecord(app.pool, [root, frank]);
    const frankToken = await login(app.url, frank);
    expect((await as(frankToken).get(`/v1/records/${record.id}`)).status).toBe(200);

    const res = await admin().post(`/v1/admin/reviewers/${frank.id}/revoke`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: frank.id, keysDeleted: 1 });
    expect(res.json.revokedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const next = await as(frankToken).get(`/v1/records/${record.id}`);
    expect([next.status, code(next)]).toEqual([403, 'REVIEWER_REVOKED']);
    const keys = await app.pool.query(`SELECT 1 FROM record_keys WHERE reviewer_id = $1`, [
      frank.id,
    ]);
    expect(keys.rowCount).toBe(0);
    const live = await app.pool.query(
      `SELECT 1 FROM sessions WHERE reviewer_id = $1 AND NOT revoked`,
      [frank.id],
    );
    expect(live.rowCount).toBe(0);
    expect((await listActiveReviewerRows(app.pool)).map((r) => r.id)).not.toContain(frank.id);
    // The holder of the record can no longer grant it back either.
    const regrant = await admin().post(`/v1/records/${record.id}/grants`, {
      reviewerId: frank.id,
      wrappedKey: toBase64(wrapRecordKey(record.recordKey, frank.keys.box.publicKey)),
    });
    expect([regrant.status, code(regrant)]).toEqual([409, 'REVIEWER_REVOKED']);

    expect((await admin().post(`/v1/admin/reviewers/${frank.id}/revoke`)).status).toBe(200);
    const unknown = await admin().post(`/v1/admin/reviewers/${randomId()}/revoke`);
    expect([unknown.status, code(unknown)]).toEqual([404, 'REVIEWER_NOT_FOUND']);
    const junk = await admin().post('/v1/admin/reviewers/junk/revoke');
    expect([junk.status, code(junk)]).toEqual([404, 'REVIEWER_NOT_FOUND']);
  });

  it('refuses to revoke the last admin', async () => {
    const res = await admin().post(`/v1/admin/reviewers/${root.id}/revoke`);
    expect([res.status, code(res)]).toEqual([409, 'LAST_ADMIN']);
  });

  it('rotates intake keys: new current, previous accepting; retires a non-current one', async () => {
    const first = generateBoxKeyPair();
    const second = generateBoxKeyPair();
    const a = await admin().post('/v1/admin/intake-keys', { publicKey: toBase64(first.publicKey) });
    expect([a.status, a.json]).toEqual([
      201,
      { id: keyId(first.publicKey), fingerprint: fingerprint(first.publicKey), status: 'current' },
    ]);
    expect(
      (await admin().post('/v1/admin/intake-keys', { publicKey: toBase64(second.publicKey) }))
        .status,
    ).toBe(201);
    expect(
      (await admin().post('/v1/admin/intake-keys', { publicKey: toBase64(second.publicKey) }))
        .status,
    ).toBe(200);

    const statuses = async () =>
      Object.fromEntries(
        (
          (await admin().get('/v1/admin/intake-keys')).json.keys as Array<{
            id: string;
            status: string;
          }>
        ).map((k) => [k.id, k.status]),
      );
    expect(await statuses()).toMatchObject({
      [keyId(first.publicKey)]: 'accepting',
      [keyId(second.publicKey)]: 'current',
    });

    const current = await admin().post(`/v1/admin/intake-keys/${keyId(second.publicKey)}/retire`);
    expect([current.status, code(current)]).toEqual([409, 'INTAKE_KEY_CURRENT']);
    expect(
      (await admin().post(`/v1/admin/intake-keys/${keyId(first.publicKey)}/retire`)).status,
    ).toBe(200);
    expect((await statuses())[keyId(first.publicKey)]).toBe('retired');
    const back = await admin().post('/v1/admin/intake-keys', {
      publicKey: toBase64(first.publicKey),
    });
    expect([back.status, code(back)]).toEqual([409, 'INTAKE_KEY_RETIRED']);
    const missing = await admin().post('/v1/admin/intake-keys/k1_AAAAAAAAAAAAAAAA/retire');
    expect([missing.status, code(missing)]).toEqual([404, 'INTAKE_KEY_NOT_FOUND']);
  });

  it('audits every admin change', async () => {
    const actions = new Set(
      (await auditActions(app.pool)).filter((a) => a.reviewer_id === root.id).map((a) => a.action),
    );
    for (const a of [
      'reviewer.enroll',
      'reviewer.revoke',
      'intake-key.rotate',
      'intake-key.retire',
    ]) {
      expect(actions).toContain(a);
    }
  });
});
