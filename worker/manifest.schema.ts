import { z } from 'zod';
import { answerValue, type AnswerValue } from '../core/record/answer-value';

// What a decrypted manifest must look like before any of it is used: hostile until parsed. A
// field that cannot be used is dropped and named; only a manifest without text is refused.

const answerKey = z.string().min(1).max(64);

// A hint from the client's UI (BCP 47, e.g. 'ko-KR'), kept as its primary subtag.
const langTag = z
  .unknown()
  .transform((tag) =>
    typeof tag === 'string' && tag.length <= 35
      ? /^([a-z]{2,3})(?:[-_][a-z0-9-_]*)?$/i.exec(tag)?.[1]?.toLowerCase()
      : undefined,
  );

const sourcePublicKey = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

const attachments = z
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
  .max(100);

export interface Manifest {
  text: string;
  lang?: string;
  answers?: Record<string, AnswerValue>;
  sourcePublicKey?: string;
  attachments?: z.infer<typeof attachments>;
  /** Names of fields (or answer counts) that were present but unusable, for the reviewer. */
  rejected: string[];
}

function parseAnswers(raw: unknown, rejected: string[]): Record<string, AnswerValue> | undefined {
  if (raw === undefined) return undefined;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    rejected.push('answers');
    return undefined;
  }
  // No prototype: an answer named "__proto__" is just an answer.
  const out = Object.create(null) as Record<string, AnswerValue>;
  let dropped = 0;
  for (const [key, value] of Object.entries(raw)) {
    const v = answerValue.safeParse(value);
    if (answerKey.safeParse(key).success && v.success) out[key] = v.data;
    else dropped++;
  }
  if (dropped > 0) rejected.push(`answers (${dropped} unusable)`);
  return out;
}

/** The usable part of a manifest, or null when it holds no testimony text at all. */
export function parseManifest(raw: unknown): Manifest | null {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const m = raw as Record<string, unknown>;
  if (typeof m.text !== 'string') return null;
  const rejected: string[] = [];
  const optional = <T>(name: string, schema: z.ZodType<T>): T | undefined => {
    if (m[name] === undefined) return undefined;
    const parsed = schema.safeParse(m[name]);
    if (!parsed.success) rejected.push(name);
    return parsed.success ? parsed.data : undefined;
  };
  return {
    text: m.text,
    lang: langTag.parse(m.lang),
    answers: parseAnswers(m.answers, rejected),
    sourcePublicKey: optional('sourcePublicKey', sourcePublicKey),
    attachments: optional('attachments', attachments),
    rejected,
  };
}
