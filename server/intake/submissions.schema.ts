import { z } from 'zod';
import { E } from '../../core/errors';
import type { Config } from '../../core/config';
import { base64urlBytes } from '../http/validate';

// Wire format of a submission (envelope v1 plus the raw source token, which the server
// hashes on arrival). Sizes follow crypto/PROTOCOL.md.

const SEALED_KEY_BYTES = 81; // 0x01 || crypto_box_seal(32-byte key): 1 + 32 + 48
const MANIFEST_MIN_BYTES = 41; // 0x01 || nonce(24) || tag(16)
const SOURCE_TOKEN_BYTES = 32;
export const MAX_UPLOADS = 50;
// The manifest is the padded text plus answers and attachment list: leave room beyond the text cap.
const MANIFEST_OVERHEAD_BYTES = 64 * 1024;

// Postgres prints uuids in lower case; answer and hash them in the same spelling.
const uuid = z.uuid().transform((s) => s.toLowerCase());

export const sourceToken = base64urlBytes({ min: SOURCE_TOKEN_BYTES, max: SOURCE_TOKEN_BYTES });

export function submissionSchema(config: Pick<Config, 'MAX_TEXT_BYTES'>) {
  return z.strictObject({
    v: z.literal(1),
    id: uuid,
    // keyId(): 'k1_' + base64url of 12 bytes. A strict pattern keeps NULs and the like out of SQL.
    intakeKeyId: z.string().regex(/^k1_[A-Za-z0-9_-]{16}$/),
    sealedKey: base64urlBytes({ min: SEALED_KEY_BYTES, max: SEALED_KEY_BYTES, version: 0x01 }),
    manifest: base64urlBytes({
      min: MANIFEST_MIN_BYTES,
      max: config.MAX_TEXT_BYTES + MANIFEST_OVERHEAD_BYTES,
      tooLarge: { code: E.MANIFEST_TOO_LARGE },
      version: 0x01,
    }),
    sourceToken: sourceToken.optional(),
    uploads: z
      .array(uuid)
      .max(MAX_UPLOADS)
      .refine((ids) => new Set(ids).size === ids.length, 'duplicate upload id')
      .optional(),
  });
}

/**
 * The same schema, compiled: zod generates a parser for this shape once and runs its own
 * runtime parser whenever that one fails, so what is refused, and with which issue, is always
 * the runtime parser's, while a valid envelope (the intake's hot path) costs about half of it.
 */
export const compiledSubmissionSchema = (config: Pick<Config, 'MAX_TEXT_BYTES'>) =>
  z.compile(submissionSchema(config));

export type SubmissionInput = z.output<ReturnType<typeof submissionSchema>>;

export const statusRequestSchema = z.strictObject({ sourceToken });

/** A client speaking a newer envelope version gets a clear code, whatever else it sent. */
export function hasUnsupportedVersion(body: unknown): boolean {
  return (
    typeof body === 'object' && body !== null && !Array.isArray(body) && 'v' in body && body.v !== 1
  );
}
