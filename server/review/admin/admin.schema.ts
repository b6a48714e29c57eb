import { z } from 'zod';
import { E } from '../../../core/errors';
import { base64urlBytes } from '../../http/validate';
import { publicKey } from '../http/schema';

const STATUSES = ['new', 'in-review', 'verified', 'closed'] as const;

export const certificateSchema = z.strictObject({
  signer: publicKey,
  signature: base64urlBytes({ min: 64, max: 64 }),
});

export const enrolSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
  role: z.enum(['reviewer', 'admin']).default('reviewer'),
  boxPublicKey: publicKey,
  signPublicKey: publicKey,
  // What the worker checks before sealing to this reviewer (crypto/enrolment.ts): sent by
  // `sori admin enroll`, signed with the enrolling admin's key.
  certificate: certificateSchema.optional(),
});

export const intakeKeySchema = z.strictObject({ publicKey });

export const retentionSchema = z.strictObject({
  policies: z
    .array(z.strictObject({ status: z.enum(STATUSES), days: z.number().int().min(1).max(36_500) }))
    .max(STATUSES.length)
    .refine((ps) => new Set(ps.map((p) => p.status)).size === ps.length, {
      params: { code: E.DUPLICATE_STATUS },
    }),
});

export const intakeKeyId = z.string().regex(/^k1_[A-Za-z0-9_-]{16}$/);
