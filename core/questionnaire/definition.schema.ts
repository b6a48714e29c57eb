import { z } from 'zod';
import { ILO_INDICATORS } from './indicators';

// The shape of a questionnaire definition (questionnaire.v1.json). Another deployment may ship
// its own questions, so the definition is validated like any input, once, when it is loaded:
// a bad file stops the process instead of silently computing wrong indicators.

const LANGUAGES = ['ko', 'en', 'ru', 'zh'] as const;
export type QuestionnaireLanguage = (typeof LANGUAGES)[number];

const text = z.string().trim().min(1);
const localised = z.strictObject({ ko: text, en: text, ru: text, zh: text });
const id = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/);
const indicatorList = z.array(z.enum(ILO_INDICATORS)).min(1);

/** `>N`, `>=N`, `<N`, `<=N` on a number answer. */
export const NUMBER_RULE = /^(>=|<=|>|<)(\d+(?:\.\d+)?)$/;

const question = z
  .strictObject({
    id,
    type: z.enum(['single', 'multi', 'text', 'number', 'yesno']),
    label: localised,
    help: localised.optional(),
    options: z
      .array(z.strictObject({ id, label: localised }))
      .min(1)
      .optional(),
    /** Bounds of a number answer: a value outside them is not an answer. */
    min: z.number().optional(),
    max: z.number().optional(),
    indicators: z.record(z.string(), indicatorList).optional(),
  })
  .superRefine((q, ctx) => {
    const choice = q.type === 'single' || q.type === 'multi';
    if (choice !== (q.options !== undefined))
      ctx.addIssue({ code: 'custom', message: `${q.id}: options exactly on single/multi` });
    if ((q.min !== undefined || q.max !== undefined) && q.type !== 'number')
      ctx.addIssue({ code: 'custom', message: `${q.id}: min/max only on number` });
    const optionIds = (q.options ?? []).map((o) => o.id);
    if (new Set(optionIds).size !== optionIds.length)
      ctx.addIssue({ code: 'custom', message: `${q.id}: duplicate option ids` });
    for (const key of Object.keys(q.indicators ?? {})) {
      const ok =
        (choice && optionIds.includes(key)) ||
        (q.type === 'yesno' && (key === 'yes' || key === 'no')) ||
        (q.type === 'number' && NUMBER_RULE.test(key));
      if (!ok) ctx.addIssue({ code: 'custom', message: `${q.id}: bad indicator key ${key}` });
    }
  });

export const questionnaireSchema = z
  .strictObject({
    v: z.literal(1),
    id: z.string().regex(/^[a-z0-9-]{1,64}$/),
    sections: z
      .array(z.strictObject({ id, title: localised, questions: z.array(question).min(1) }))
      .min(1),
  })
  .superRefine((q, ctx) => {
    const ids = q.sections.flatMap((s) => s.questions.map((x) => x.id));
    if (new Set(ids).size !== ids.length)
      ctx.addIssue({ code: 'custom', message: 'question ids must be unique' });
    const sectionIds = q.sections.map((s) => s.id);
    if (new Set(sectionIds).size !== sectionIds.length)
      ctx.addIssue({ code: 'custom', message: 'section ids must be unique' });
  });

export type Questionnaire = z.infer<typeof questionnaireSchema>;
export type Question = Questionnaire['sections'][number]['questions'][number];
export { LANGUAGES as QUESTIONNAIRE_LANGUAGES };
