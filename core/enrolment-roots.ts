import { readFileSync } from 'node:fs';
import { isCryptoError, parseEnrolmentRoots } from '../crypto';
import { ConfigError, type Config } from './config';

// The enrolment roots as configured, for the worker (who it seals records to) and the review
// API (who it serves). Both must read the same variables the same way.

function fail(variable: string, why: string): never {
  throw new ConfigError(`Invalid configuration: ${variable}: ${why}`);
}

/**
 * ENROLMENT_ROOTS_FILE (or ENROLMENT_ROOTS): base64url Ed25519 public keys, separated by commas
 * or whitespace, of whoever may certify an enrolment (an offline custodian, the first admin).
 * Public keys, but which ones are believed decides who can read every new record.
 */
export function loadEnrolmentRoots(
  config: Pick<Config, 'ENROLMENT_ROOTS' | 'ENROLMENT_ROOTS_FILE'>,
): Uint8Array[] {
  const variable = config.ENROLMENT_ROOTS_FILE ? 'ENROLMENT_ROOTS_FILE' : 'ENROLMENT_ROOTS';
  let text = config.ENROLMENT_ROOTS ?? '';
  if (config.ENROLMENT_ROOTS_FILE) {
    try {
      text = readFileSync(config.ENROLMENT_ROOTS_FILE, 'utf8');
    } catch {
      fail(variable, 'cannot read file');
    }
    // Blank means unset (compose passes ENROLMENT_ROOTS through empty); a file must hold keys.
    if (text.trim() === '') fail(variable, 'no key in it');
  }
  try {
    return parseEnrolmentRoots(text);
  } catch (err) {
    if (!isCryptoError(err)) throw err;
    const why: Record<string, string> = {
      CRYPTO_BAD_ENCODING: 'a key is not base64url',
      CRYPTO_BAD_LENGTH: 'a key is not a 32-byte Ed25519 public key',
    };
    return fail(variable, why[err.code] ?? 'no key in it');
  }
}
