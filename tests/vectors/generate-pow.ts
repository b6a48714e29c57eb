// Writes tests/vectors/pow-v1.json: `node -r @swc-node/register tests/vectors/generate-pow.ts`.
// Fixed inputs (key and salt from SHA-256 of a name, like crypto-v1.json's seeds), expected
// hex outputs; the first nonce counting up from 0 is the solution solvePow must find.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  abuseCounterId,
  encodePowChallenge,
  initCrypto,
  powChallengeId,
  powHash,
  powMac,
  sha256,
  solvePowRange,
  toHex,
} from '../../crypto';

async function main(): Promise<void> {
  await initCrypto();
  const key = sha256('sori-vector-seed-pow-key');
  const salt = sha256('sori-vector-seed-pow-salt').slice(0, 16);
  const cases = [
    { difficulty: 8, expires: 1_767_225_600 },
    { difficulty: 12, expires: 1_767_225_660 },
  ].map(({ difficulty, expires }) => {
    const challenge = encodePowChallenge({ v: 1, salt, difficulty, expires });
    const nonce = solvePowRange(challenge, 0, 2 ** 24);
    if (!nonce) throw new Error('no solution');
    return {
      difficulty,
      expires,
      challenge: toHex(challenge),
      mac: toHex(powMac(key, challenge)),
      nonce: toHex(nonce),
      hash: toHex(powHash(challenge, nonce)),
      id: powChallengeId(challenge),
    };
  });
  const tokenHash = sha256('sori-vector-seed-pow-token-hash');
  const vectors = {
    format: 'sori-pow-vectors',
    v: 1,
    key: toHex(key),
    salt: toHex(salt),
    cases,
    counter: {
      label: 'limit-status',
      data: toHex(tokenHash),
      id: abuseCounterId(key, 'limit-status', tokenHash),
    },
  };
  writeFileSync(join(__dirname, 'pow-v1.json'), `${JSON.stringify(vectors, null, 2)}\n`);
}

void main();
