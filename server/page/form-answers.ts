import { AppError } from '../../core/errors';
import { answersSchemaFor, type Question, type Questionnaire } from '../../core/questionnaire';

// The no-JS form posts every answer as text under the question's id (the same names the page
// script reads, see PAGE.md). Here they become the manifest's typed answers: single → option
// id, multi → option ids, yesno → boolean, number → number, text → string; empty → omitted.
// Anything else is checked against the questionnaire's own schema, so both paths agree.

export type FormFields = ReadonlyMap<string, readonly string[]>;
export type AnswerValue = string | string[] | number | boolean;

/** A bad answer names its question so the page can say which one. */
export class BadAnswerError extends AppError {
  readonly questionId: string;
  constructor(questionId: string) {
    super('BAD_ANSWER', 400, 'An answer could not be read');
    this.questionId = questionId;
  }
}

const NUMBER = /^\d{1,6}(?:\.\d+)?$/;

function convert(q: Question, values: string[]): AnswerValue | undefined {
  const last = values[values.length - 1];
  if (last === undefined) return undefined;
  switch (q.type) {
    case 'multi':
      return [...new Set(values)];
    case 'single':
    case 'text':
      return last;
    case 'yesno':
      if (last === 'yes') return true;
      if (last === 'no') return false;
      throw new BadAnswerError(q.id);
    case 'number': {
      // NFKC folds full-width digits; a decimal comma is read as a point.
      const folded = last.normalize('NFKC').replace(',', '.');
      if (!NUMBER.test(folded)) throw new BadAnswerError(q.id);
      return Number(folded);
    }
  }
}

const schemas = new WeakMap<Questionnaire, ReturnType<typeof answersSchemaFor>>();

export function answersFromForm(
  def: Questionnaire,
  fields: FormFields,
): Record<string, AnswerValue> {
  const answers: Record<string, AnswerValue> = {};
  for (const q of def.sections.flatMap((s) => s.questions)) {
    const values = (fields.get(q.id) ?? []).map((v) => v.trim()).filter((v) => v !== '');
    const value = convert(q, values);
    if (value !== undefined) answers[q.id] = value;
  }
  let schema = schemas.get(def);
  if (!schema) schemas.set(def, (schema = answersSchemaFor(def)));
  const checked = schema.safeParse(answers);
  if (!checked.success) throw new BadAnswerError(String(checked.error.issues[0]?.path[0] ?? ''));
  return answers;
}
