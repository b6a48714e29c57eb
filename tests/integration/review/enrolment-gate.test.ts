import { insertReviewer } from '../../../core/repositories/reviewer.repository';
import {
  generateReviewerKeys,
  generateSignKeyPair,
  initCrypto,
  randomId,
  signEnrolment,
  toBase64,
  type SignKeyPair,
} from '../../../crypto';
import {
  call,
  code,
  enrol,
  login,
  startReviewApp,
  type ReviewTestApp,
  type TestReviewer,
} from './review-fixtures';

// Issue 11: with enrolment roots configured, a reviewer row written straight into the database
// (no certificate chaining to a root) is authenticated for nothing but presenting a certificate,
// admin routes included, exactly as the worker refuses to seal records to it.

const certificateBody = (r: TestReviewer, role: 'reviewer' | 'admin', signer: SignKeyPair) => {
  const c = signEnrolment(
    { role, boxPublicKey: r.keys.box.publicKey, signPublicKey: r.keys.sign.publicKey },
    signer,
  );
  return { signer: toBase64(c.signer), signature: toBase64(c.signature) };
};

// Every protected area, admin routes first.
const ROUTES: Array<[string, string, unknown?]> = [
  ['GET', '/v1/admin/intake-keys'],
  ['GET', '/v1/admin/retention'],
  ['POST', '/v1/admin/retention/run'],
  ['POST', '/v1/admin/reviewers/6f1c2b9e-54a3-4c1e-9d0f-2a7b3c4d5e6f/revoke'],
  ['GET', '/v1/records'],
  ['GET', '/v1/reviewers'],
  ['GET', '/v1/custody'],
  ['GET', '/v1/me'],
  ['DELETE', '/v1/auth/session'],
];

describe('review API with enrolment roots', () => {
  let root: SignKeyPair;
  let app: ReviewTestApp;
  let certifiedAdmin: TestReviewer;

  beforeAll(async () => {
    await initCrypto();
    root = generateSignKeyPair();
    app = await startReviewApp({ ENROLMENT_ROOTS: toBase64(root.publicKey) });
    const keys = generateReviewerKeys();
    const id = randomId();
    await insertReviewer(app.pool, {
      id,
      name: 'first-admin',
      role: 'admin',
      boxPublicKey: keys.box.publicKey,
      signPublicKey: keys.sign.publicKey,
      certificate: signEnrolment(
        { role: 'admin', boxPublicKey: keys.box.publicKey, signPublicKey: keys.sign.publicKey },
        root,
      ),
    });
    certifiedAdmin = { id, name: 'first-admin', keys };
  });
  afterAll(async () => app.close());

  it('serves a certified admin everywhere', async () => {
    const token = await login(app.url, certifiedAdmin);
    for (const [method, path] of ROUTES.slice(0, 3)) {
      const res = await call(app.url, method, path, { token });
      expect([method, path, res.status]).toEqual([method, path, 200]);
    }
  });

  it('refuses an admin row written into the database on every route, admin ones included', async () => {
    const rogue = await enrol(app.pool, 'rogue', 'admin'); // no certificate at all
    const token = await login(app.url, rogue);
    for (const [method, path] of ROUTES) {
      const res = await call(app.url, method, path, { token });
      expect([method, path, res.status, code(res)]).toEqual([
        method,
        path,
        401,
        'ENROLMENT_UNCERTIFIED',
      ]);
    }
    const enrolAttempt = await call(app.url, 'POST', '/v1/admin/reviewers', {
      token,
      body: {
        name: 'accomplice',
        boxPublicKey: toBase64(generateReviewerKeys().box.publicKey),
        signPublicKey: toBase64(generateReviewerKeys().sign.publicKey),
      },
    });
    expect([enrolAttempt.status, code(enrolAttempt)]).toEqual([401, 'ENROLMENT_UNCERTIFIED']);
    const { rowCount } = await app.pool.query(`SELECT 1 FROM reviewers WHERE name = 'accomplice'`);
    expect(rowCount).toBe(0);
  });

  it('refuses a row whose certificate is signed by a key that is not a root', async () => {
    const selfSigned = await enrol(app.pool, 'self-signed', 'admin');
    await app.pool.query(
      `UPDATE reviewers SET cert_signer = $2, cert_signature = $3 WHERE id = $1`,
      (() => {
        const c = certificateBody(selfSigned, 'admin', selfSigned.keys.sign);
        return [
          selfSigned.id,
          Buffer.from(c.signer, 'base64url'),
          Buffer.from(c.signature, 'base64url'),
        ];
      })(),
    );
    const token = await login(app.url, selfSigned);
    const res = await call(app.url, 'GET', '/v1/admin/intake-keys', { token });
    expect([res.status, code(res)]).toEqual([401, 'ENROLMENT_UNCERTIFIED']);
  });

  it('lets an uncertified reviewer present a certificate, and only one that chains', async () => {
    const late = await enrol(app.pool, 'late', 'admin');
    const token = await login(app.url, late);
    const present = (body: unknown) => call(app.url, 'POST', '/v1/me/certificate', { token, body });

    const untrusted = await present(certificateBody(late, 'admin', late.keys.sign));
    expect([untrusted.status, code(untrusted)]).toEqual([400, 'ENROLMENT_CERTIFICATE_UNTRUSTED']);
    const { rows } = await app.pool.query(`SELECT cert_signer FROM reviewers WHERE id = $1`, [
      late.id,
    ]);
    expect(rows[0].cert_signer).toBeNull(); // rolled back
    const wrongRole = await present(certificateBody(late, 'reviewer', root));
    expect([wrongRole.status, code(wrongRole)]).toEqual([400, 'ENROLMENT_CERTIFICATE_INVALID']);
    expect((await call(app.url, 'GET', '/v1/admin/intake-keys', { token })).status).toBe(401);

    // A certificate from the first admin (who chains to the root) makes the row count.
    const ok = await present(certificateBody(late, 'admin', certifiedAdmin.keys.sign));
    expect([ok.status, ok.json]).toEqual([200, { id: late.id }]);
    expect((await call(app.url, 'GET', '/v1/admin/intake-keys', { token })).status).toBe(200);
  });

  it('still refuses anyone without a session on the presenting route', async () => {
    const res = await call(app.url, 'POST', '/v1/me/certificate', { body: {} });
    expect([res.status, code(res)]).toEqual([401, 'AUTH_REQUIRED']);
  });
});

describe('review API without enrolment roots', () => {
  let app: ReviewTestApp;
  beforeAll(async () => {
    app = await startReviewApp();
  });
  afterAll(async () => app.close());

  it('believes every row, as the worker does', async () => {
    const admin = await enrol(app.pool, 'plain', 'admin');
    const token = await login(app.url, admin);
    expect((await call(app.url, 'GET', '/v1/admin/intake-keys', { token })).status).toBe(200);
  });
});
