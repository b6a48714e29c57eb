import { fromBase64, isCryptoError, type EnrolmentRole } from '../../../crypto';
import { ConsoleError } from '../../errors';

// What an admin signs or sends about a reviewer: a role and two public keys, checked here.

export function publicKey(b64: string, what: string): string {
  try {
    if (fromBase64(b64).length === 32) return b64;
  } catch (err) {
    if (!isCryptoError(err)) throw err;
  }
  throw new ConsoleError('BAD_PUBLIC_KEY', `The ${what} is not a 32-byte base64url public key`);
}

export function statementOf(o: { box: string; sign: string; role: string }) {
  if (o.role !== 'admin' && o.role !== 'reviewer')
    throw new ConsoleError('BAD_ROLE', 'A role is admin or reviewer');
  return {
    role: o.role as EnrolmentRole,
    boxPublicKey: fromBase64(publicKey(o.box, 'box key')),
    signPublicKey: fromBase64(publicKey(o.sign, 'sign key')),
  };
}
