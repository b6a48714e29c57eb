import { z } from 'zod';
import { AppError, E } from '../../../core/errors';
import { base64urlBytes } from '../../http/validate';

// Shared pieces of the review API's zod schemas. Sizes follow crypto/PROTOCOL.md.

export const SEALED_KEY_BYTES = 81; // 0x01 || crypto_box_seal(32-byte key)
export const KEY_BYTES = 32;
// An entry is padded JSON: 0x01 || nonce(24) || at least one 4096-byte block || tag(16).
export const ENTRY_MIN_BYTES = 41 + 4096;
// A reply to a source: 0x01 || sealed key (81) || an encrypted padded-JSON object.
export const REPLY_MIN_BYTES = 1 + SEALED_KEY_BYTES + ENTRY_MIN_BYTES;
// Room beyond the text cap for a human translation's JSON wrapping and its padding.
export const CIPHERTEXT_OVERHEAD_BYTES = 64 * 1024;

// Postgres prints uuids in lower case; compare and answer in the same spelling.
export const uuid = z.uuid().transform((s) => s.toLowerCase());
export const publicKey = base64urlBytes({ min: KEY_BYTES, max: KEY_BYTES });
export const sealedKey = base64urlBytes({
  min: SEALED_KEY_BYTES,
  max: SEALED_KEY_BYTES,
  version: 0x01,
});
export const day = z.iso.date();

export function ciphertext(min: number, maxTextBytes: number) {
  return base64urlBytes({
    min,
    max: maxTextBytes + CIPHERTEXT_OVERHEAD_BYTES,
    tooLarge: { code: E.CIPHERTEXT_TOO_LARGE },
    version: 0x01,
  });
}

/** A path id that is not a UUID names nothing: answer as for an unknown id. */
export function pathId(value: unknown, missing: () => AppError): string {
  const parsed = uuid.safeParse(value);
  if (!parsed.success) throw missing();
  return parsed.data;
}

export const recordNotFound = () => new AppError(E.RECORD_NOT_FOUND);
