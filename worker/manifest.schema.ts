import { z } from 'zod';

// What a decrypted manifest must look like before any of it is used. crypto/ checks only what
// the cryptography needs; everything else arrives from an anonymous client and is hostile until
// parsed. zod issues are never logged or stored (they can quote input): only MANIFEST_INVALID.

const answerValue = z.union([
  z.string().max(20_000),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.string().max(2_000)).max(100),
]);

export const manifestSchema = z.object({
  text: z.string().max(1_000_000),
  // A hint from the client's UI (BCP 47, e.g. 'ko-KR'), kept as its primary subtag. A tag
  // this code cannot read is dropped, never a reason to refuse a testimony.
  lang: z
    .string()
    .max(35)
    .optional()
    .transform((tag) => /^([a-z]{2,3})(?:[-_][a-z0-9-_]*)?$/i.exec(tag ?? '')?.[1]?.toLowerCase()),
  answers: z.record(z.string().max(64), answerValue).optional(),
  sourcePublicKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/)
    .optional(),
  attachments: z
    .array(
      z.object({
        uploadId: z.uuid(),
        name: z.string().max(255),
        type: z.string().max(255),
        size: z.number().int().nonnegative(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        subkeyId: z.number().int().positive(),
      }),
    )
    .max(100)
    .optional(),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type AnswerValue = z.infer<typeof answerValue>;
