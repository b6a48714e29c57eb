import { z } from 'zod';
import { base64urlBytes } from '../../http/validate';
import { publicKey } from '../http/schema';

export const challengeSchema = z.strictObject({ signPublicKey: publicKey });

export const sessionSchema = z.strictObject({
  signPublicKey: publicKey,
  // The server issues 32-byte nonces; crypto's signChallenge accepts 16..64.
  nonce: base64urlBytes({ min: 32, max: 32 }),
  signature: base64urlBytes({ min: 64, max: 64 }),
});
