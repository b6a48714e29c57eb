import {
  generateBoxKeyPair,
  generateSignKeyPair,
  initCrypto,
  randomId,
  signEnrolment,
  type EnrolmentRole,
  type SignKeyPair,
} from '../../../crypto';
import {
  createEnrolmentTrust,
  TRUST_DATABASE,
  type EnrolledRow,
} from '../../../worker/enrolment-trust';

// Which rows the worker believes: those whose certificate chains to a root through admins.

interface Row extends EnrolledRow {
  sign: SignKeyPair;
}

function row(role: EnrolmentRole, certifiedBy: SignKeyPair | null): Row {
  const sign = generateSignKeyPair();
  const base = {
    id: randomId(),
    role,
    boxPublicKey: generateBoxKeyPair().publicKey,
    signPublicKey: sign.publicKey,
    sign,
  };
  const cert = certifiedBy ? signEnrolment(base, certifiedBy) : null;
  return { ...base, certSigner: cert?.signer ?? null, certSignature: cert?.signature ?? null };
}

describe('enrolment trust', () => {
  beforeAll(initCrypto);

  it('follows root → admin → admin → reviewer in any row order', () => {
    const root = generateSignKeyPair();
    const admin = row('admin', root);
    const deputy = row('admin', admin.sign);
    const reviewer = row('reviewer', deputy.sign);
    const trust = createEnrolmentTrust([root.publicKey]);
    expect(trust.enforced).toBe(true);
    expect(trust.trusted([reviewer, deputy, admin]).map((r) => r.id)).toEqual(
      [reviewer, deputy, admin].map((r) => r.id),
    );
  });

  it('drops rows without a certificate, signed by strangers, by reviewers, or re-roled', () => {
    const root = generateSignKeyPair();
    const admin = row('admin', root);
    const reviewer = row('reviewer', admin.sign);
    const written = row('reviewer', null); // straight into the database
    const stranger = row('reviewer', generateSignKeyPair());
    const byReviewer = row('reviewer', reviewer.sign); // reviewers cannot enrol
    const promoted = { ...row('reviewer', admin.sign), role: 'admin' }; // cert says reviewer
    const viaPromoted = row('reviewer', promoted.sign);
    const trust = createEnrolmentTrust([root.publicKey]);
    const kept = trust.trusted([
      admin,
      reviewer,
      written,
      stranger,
      byReviewer,
      promoted,
      viaPromoted,
    ]);
    expect(kept.map((r) => r.id)).toEqual([admin.id, reviewer.id]);
  });

  it('loses what a missing admin certified (a revoked admin row is not offered)', () => {
    const root = generateSignKeyPair();
    const admin = row('admin', root);
    const reviewer = row('reviewer', admin.sign);
    const direct = row('reviewer', root);
    const trust = createEnrolmentTrust([root.publicKey]);
    expect(trust.trusted([reviewer, direct]).map((r) => r.id)).toEqual([direct.id]);
  });

  it('without roots believes every row, as the database says', () => {
    const rows = [row('reviewer', null), row('admin', null)];
    expect(createEnrolmentTrust([])).toBe(TRUST_DATABASE);
    expect(TRUST_DATABASE.enforced).toBe(false);
    expect(TRUST_DATABASE.trusted(rows)).toEqual(rows);
  });
});
