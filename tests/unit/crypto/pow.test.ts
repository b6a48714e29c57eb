import vectors from '../../vectors/pow-v1.json';
import {
  abuseCounterId,
  decodePowChallenge,
  encodePowChallenge,
  formatPowHeader,
  fromHex,
  initCrypto,
  issuePow,
  leadingZeroBits,
  parsePowHeader,
  powChallengeId,
  powHash,
  powMac,
  randomBytes,
  solvePow,
  toHex,
  verifyPow,
} from '../../../crypto';

// Proof of work (PROTOCOL.md "Proof of work"): fixed vectors, cross-checked against Python's
// hashlib.blake2b when they were generated, and the verifier's refusals.

beforeAll(initCrypto);

const key = () => fromHex(vectors.key);

describe('pow vectors', () => {
  it.each(vectors.cases)('difficulty $difficulty: bytes, MAC, first solution', async (c) => {
    const challenge = encodePowChallenge({
      v: 1,
      salt: fromHex(vectors.salt),
      difficulty: c.difficulty,
      expires: c.expires,
    });
    expect(toHex(challenge)).toBe(c.challenge);
    expect(toHex(powMac(key(), challenge))).toBe(c.mac);
    expect(toHex(await solvePow(challenge, { batch: 100 }))).toBe(c.nonce);
    expect(toHex(powHash(challenge, fromHex(c.nonce)))).toBe(c.hash);
    expect(powChallengeId(challenge)).toBe(c.id);
    const verdict = verifyPow(challenge, fromHex(c.mac), fromHex(c.nonce), key(), c.expires - 1);
    expect(verdict).toMatchObject({ ok: true, id: c.id, challenge: { difficulty: c.difficulty } });
  });

  it('names counters with a keyed hash', () => {
    const { label, data, id } = vectors.counter;
    expect(abuseCounterId(key(), label, fromHex(data))).toBe(id);
    expect(abuseCounterId(randomBytes(32), label, fromHex(data))).not.toBe(id);
  });
});

describe('verifyPow refusals', () => {
  const c = vectors.cases[0]!;
  const challenge = () => fromHex(c.challenge);
  const at = c.expires - 60;

  it('refuses a wrong nonce, MAC, key or challenge as invalid', () => {
    const nonce = fromHex(c.nonce);
    const wrongNonce = new Uint8Array(8);
    expect(leadingZeroBits(powHash(challenge(), wrongNonce))).toBeLessThan(c.difficulty);
    const invalid = { ok: false, reason: 'invalid' };
    expect(verifyPow(challenge(), fromHex(c.mac), wrongNonce, key(), at)).toEqual(invalid);
    expect(verifyPow(challenge(), randomBytes(32), nonce, key(), at)).toEqual(invalid);
    expect(verifyPow(challenge(), fromHex(c.mac), nonce, randomBytes(32), at)).toEqual(invalid);
    const lowered = challenge();
    lowered[17] = 0; // difficulty 0 would accept any nonce: the MAC forbids it
    expect(verifyPow(lowered, fromHex(c.mac), wrongNonce, key(), at)).toEqual(invalid);
    expect(verifyPow(challenge().slice(1), fromHex(c.mac), nonce, key(), at)).toEqual(invalid);
    expect(verifyPow(challenge(), fromHex(c.mac), nonce.slice(1), key(), at)).toEqual(invalid);
  });

  it('refuses an expired challenge', () => {
    const v = verifyPow(challenge(), fromHex(c.mac), fromHex(c.nonce), key(), c.expires);
    expect(v).toEqual({ ok: false, reason: 'expired' });
  });

  it('issues challenges that solve and verify', async () => {
    const k = randomBytes(32);
    const { challenge: ch, mac } = issuePow(k, 6, 4_000_000_000);
    expect(decodePowChallenge(ch)).toMatchObject({ v: 1, difficulty: 6, expires: 4_000_000_000 });
    const nonce = await solvePow(ch);
    expect(verifyPow(ch, mac, nonce, k, 1).ok).toBe(true);
    const parsed = parsePowHeader(formatPowHeader({ challenge: ch, mac, nonce }));
    expect(toHex(parsed.nonce)).toBe(toHex(nonce));
  });
});

describe('encoding', () => {
  it('counts leading zero bits', () => {
    expect(leadingZeroBits(Uint8Array.of(0x80))).toBe(0);
    expect(leadingZeroBits(Uint8Array.of(0x00, 0x01))).toBe(15);
    expect(leadingZeroBits(Uint8Array.of(0x00, 0x00))).toBe(16);
  });

  it('refuses unknown versions, bad lengths and out-of-range fields', () => {
    const bytes = fromHex(vectors.cases[0]!.challenge);
    bytes[0] = 2;
    expect(() => decodePowChallenge(bytes)).toThrow(
      expect.objectContaining({ code: 'CRYPTO_UNKNOWN_VERSION' }),
    );
    expect(() => decodePowChallenge(new Uint8Array(21))).toThrow(
      expect.objectContaining({ code: 'CRYPTO_BAD_LENGTH' }),
    );
    const salt = new Uint8Array(16);
    expect(() => encodePowChallenge({ v: 1, salt, difficulty: 33, expires: 1 })).toThrow();
    expect(() => encodePowChallenge({ v: 1, salt, difficulty: 1, expires: 2 ** 32 })).toThrow();
    expect(() => parsePowHeader('a.b')).toThrow(
      expect.objectContaining({ code: 'CRYPTO_BAD_FORMAT' }),
    );
    expect(() => parsePowHeader('a=.b.c')).toThrow(
      expect.objectContaining({ code: 'CRYPTO_BAD_ENCODING' }),
    );
  });
});
