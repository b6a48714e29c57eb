import { z } from 'zod';
import { E, type ErrorName } from '../../../core/errors';
import { ciphertext, day, ENTRY_MIN_BYTES, REPLY_MIN_BYTES, sealedKey, uuid } from '../http/schema';

const STATUSES = ['new', 'in-review', 'verified', 'closed'] as const;
const issue = (code: ErrorName) => ({ params: { code } });

export const listQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
  status: z.enum(STATUSES).optional(),
  language: z
    .string()
    .regex(/^[a-z]{2,3}$|^und$/)
    .optional(),
  from: day.optional(),
  to: day.optional(),
  translated: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  case: uuid.optional(),
  /** full: each record with its body, wrapped key and entries (as GET /v1/records/:id). */
  include: z.enum(['full']).optional(),
});

/** Reviewers append these kinds; 'translation' and 'file' are the worker's, 'reply' has its own route. */
export function entrySchema(maxTextBytes: number) {
  return z
    .strictObject({
      id: uuid,
      kind: z.enum(['note', 'tag', 'status', 'human-translation', 'assignment', 'indicator']),
      body: ciphertext(ENTRY_MIN_BYTES, maxTextBytes),
      status: z.enum(STATUSES).optional(),
    })
    .refine((e) => e.kind !== 'status' || e.status !== undefined, issue(E.STATUS_REQUIRED))
    .refine((e) => e.kind === 'status' || e.status === undefined, issue(E.STATUS_NOT_ALLOWED));
}

export const grantSchema = z.strictObject({ reviewerId: uuid, wrappedKey: sealedKey });

export function replySchema(maxTextBytes: number) {
  return z.strictObject({
    id: uuid,
    toSource: ciphertext(REPLY_MIN_BYTES, maxTextBytes),
    entry: ciphertext(ENTRY_MIN_BYTES, maxTextBytes),
  });
}
