import { z } from 'zod';

// One questionnaire answer as a record body holds it, after the manifest has been parsed.

export const answerValue = z.union([
  z.string().max(20_000),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.string().max(2_000)).max(100),
]);

export type AnswerValue = z.infer<typeof answerValue>;
