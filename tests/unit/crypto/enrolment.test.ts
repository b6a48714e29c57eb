import {
  cachedCertificateCheck,
  certificateHolds,
  enrolmentMessage,
  fromHex,
  generateSignKeyPair,
  initCrypto,
  sha256,
  signEnrolment,
  toHex,
  utf8,
  verifyEnrolment,
} from '../../../crypto';

// Enrolment certificates (crypto/PROTOCOL.md "Enrolment certificates"): a fixed vector, so a
// console and a worker built apart agree byte for byte, and the ways a certificate must fail.

const seed = (name: string) => sha256(utf8(`sori-vector-seed-${name}`));

// Ed25519 is deterministic: these follow from the seeds above.
const VECTOR = {
  signer: '4dcba2e1fdf365bedbdf6350be80c32616ac19ca9575ac74254892f6b79ad4dc',
  message:
    '736f72692d656e726f6c6d656e742d763101' +
    '04f7951b8cea500a599c9ced09b00986497ed21a7ddf6fa89a5043e695cfab59' +
    'e944517cc214f48fb2b8fd9e3f60a9b49b05b6aac81ee3f471a97f982e31ed6c',
  signature:
    '8b4a6c3c877a551a29e543f9f416b2106e0ecbd54d8b0a9b2410acceeb6e1b7b' +
    '14df7a09a3f4e108ca67fec14b9a050d893e0ed5102642b172de6e789a258606',
};

describe('enrolment certificates', () => {
  beforeAll(initCrypto);

  const signer = () => generateSignKeyPair(seed('enrolment-signer'));
  const statement = () => ({
    role: 'reviewer' as const,
    boxPublicKey: seed('enrolment-box'),
    signPublicKey: generateSignKeyPair(seed('enrolment-reviewer')).publicKey,
  });

  it('matches the vector: context, role byte, box key, sign key; deterministic signature', () => {
    expect(toHex(enrolmentMessage(statement()))).toBe(VECTOR.message);
    const cert = signEnrolment(statement(), signer());
    expect(toHex(cert.signer)).toBe(VECTOR.signer);
    expect(toHex(cert.signature)).toBe(VECTOR.signature);
    const fromVector = { signer: fromHex(VECTOR.signer), signature: fromHex(VECTOR.signature) };
    expect(verifyEnrolment(statement(), fromVector)).toBe(true);
  });

  it('fails for another role, other keys, another signer, or a damaged signature', () => {
    const cert = signEnrolment(statement(), signer());
    expect(verifyEnrolment({ ...statement(), role: 'admin' }, cert)).toBe(false);
    expect(verifyEnrolment({ ...statement(), boxPublicKey: seed('other') }, cert)).toBe(false);
    expect(verifyEnrolment({ ...statement(), signPublicKey: seed('other') }, cert)).toBe(false);
    const stranger = generateSignKeyPair(seed('stranger')).publicKey;
    expect(verifyEnrolment(statement(), { ...cert, signer: stranger })).toBe(false);
    const damaged = Uint8Array.from(cert.signature);
    damaged[10]! ^= 1;
    expect(verifyEnrolment(statement(), { ...cert, signature: damaged })).toBe(false);
  });

  it('answers false, never throws, for certificates of the wrong shape', () => {
    const cert = signEnrolment(statement(), signer());
    expect(verifyEnrolment(statement(), { ...cert, signature: cert.signature.subarray(1) })).toBe(
      false,
    );
    expect(verifyEnrolment(statement(), { ...cert, signer: cert.signer.subarray(1) })).toBe(false);
    expect(() => enrolmentMessage({ ...statement(), boxPublicKey: new Uint8Array(31) })).toThrow(
      expect.objectContaining({ code: 'CRYPTO_BAD_LENGTH' }),
    );
  });

  it('remembers verdicts by the bytes of a row: a changed role or signature is checked afresh', () => {
    const s = statement();
    const cert = signEnrolment(s, signer());
    const row = { ...s, certSigner: cert.signer, certSignature: cert.signature };
    const holds = cachedCertificateCheck(2);
    expect([holds(row), holds(row)]).toEqual([true, true]);
    const promoted = { ...row, role: 'admin' };
    const damaged = {
      ...row,
      certSignature: Uint8Array.from(cert.signature, (b, i) => (i ? b : b ^ 1)),
    };
    for (const r of [promoted, damaged, row, { ...row, certSigner: null }])
      expect(holds(r)).toBe(certificateHolds(r));
  });
});
