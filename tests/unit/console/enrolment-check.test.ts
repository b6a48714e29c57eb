import {
  generateReviewerKeys,
  initCrypto,
  randomId,
  signEnrolment,
  toBase64,
  type SignKeyPair,
} from '../../../crypto';
import type { ReviewerInfo } from '../../../console/api-types';
import { checkCertified, enrolmentRoots } from '../../../console/enrolment-check';
import { pickReviewer } from '../../../console/reviewers';

// `sori grant` re-seals a record key to the box key the server's directory names. With roots,
// the entry whose key is used must be the entry that chains to one: a directory that pairs a
// certified reviewer's id or name with someone else's key is refused.

function entry(
  name: string,
  role: 'admin' | 'reviewer',
  certifiedBy: SignKeyPair | null,
): ReviewerInfo & { sign: SignKeyPair } {
  const keys = generateReviewerKeys();
  const statement = { role, boxPublicKey: keys.box.publicKey, signPublicKey: keys.sign.publicKey };
  const cert = certifiedBy ? signEnrolment(statement, certifiedBy) : null;
  return {
    id: randomId(),
    name,
    role,
    boxPublicKey: toBase64(keys.box.publicKey),
    signPublicKey: toBase64(keys.sign.publicKey),
    certificate: cert
      ? { signer: toBase64(cert.signer), signature: toBase64(cert.signature) }
      : null,
    sign: keys.sign,
  };
}

describe('sori grant: the certificate check', () => {
  beforeAll(initCrypto);

  it('passes the certified entry itself, through an admin', () => {
    const root = generateReviewerKeys().sign;
    const admin = entry('ada', 'admin', root);
    const bob = entry('bob', 'reviewer', admin.sign);
    const directory = [bob, admin];
    expect(() =>
      checkCertified(pickReviewer(directory, 'bob'), directory, [root.publicKey]),
    ).not.toThrow();
  });

  it("refuses a forged entry carrying a certified reviewer's id, and a directory naming one twice", () => {
    const root = generateReviewerKeys().sign;
    const bob = entry('bob', 'reviewer', root);
    const forged = { ...entry('bob', 'reviewer', null), id: bob.id };
    // Only the forged entry listed: its id is certified elsewhere, its key is not.
    expect(() => checkCertified(forged, [forged], [root.publicKey])).toThrow(
      expect.objectContaining({ code: 'REVIEWER_NOT_CERTIFIED' }),
    );
    // Both listed: which one the console would use is ambiguous, so neither is.
    expect(() => pickReviewer([forged, bob], 'bob')).toThrow(
      expect.objectContaining({ code: 'DIRECTORY_INCONSISTENT' }),
    );
    // A certificate copied onto another key does not hold.
    const copied = { ...entry('eve', 'reviewer', null), certificate: bob.certificate };
    expect(() => checkCertified(copied, [bob, copied], [root.publicKey])).toThrow(
      expect.objectContaining({ code: 'REVIEWER_NOT_CERTIFIED' }),
    );
  });

  it('reads SORI_ENROLMENT_ROOTS strictly; unset means no check', () => {
    const root = generateReviewerKeys().sign.publicKey;
    expect(enrolmentRoots({ SORI_ENROLMENT_ROOTS: ` ${toBase64(root)}, ` })).toEqual([root]);
    expect(enrolmentRoots({})).toEqual([]);
    for (const bad of ['abc', ',', toBase64(new Uint8Array(31))])
      expect(() => enrolmentRoots({ SORI_ENROLMENT_ROOTS: bad })).toThrow(
        expect.objectContaining({ code: 'BAD_ENROLMENT_ROOTS' }),
      );
    const uncertified = entry('zoe', 'reviewer', null);
    expect(() => checkCertified(uncertified, [uncertified], [])).not.toThrow();
  });
});
