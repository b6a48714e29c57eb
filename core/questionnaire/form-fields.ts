// Form fields (every answer posted as text under its question's id) to the manifest's typed
// answers. Shared by the no-JS form's server code and the browser script, so it imports no zod;
// the result is checked against the questionnaire's schema (core/CORE.md).

export type AnswerValue = string | string[] | number | boolean;
export type FormFields = ReadonlyMap<string, readonly string[]>;

export interface FieldQuestion {
  id: string;
  type: 'text' | 'number' | 'single' | 'multi' | 'yesno';
}

/** An answer that cannot be read as its question's type; names the question. */
export class FormAnswerError extends Error {
  readonly questionId: string;
  constructor(questionId: string) {
    super('BAD_ANSWER');
    this.name = 'FormAnswerError';
    this.questionId = questionId;
  }
}

const NUMBER = /^\d{1,6}(?:\.\d+)?$/;

function convert(q: FieldQuestion, values: string[]): AnswerValue | undefined {
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
      throw new FormAnswerError(q.id);
    case 'number': {
      // NFKC folds full-width digits; a decimal comma is read as a point.
      const folded = last.normalize('NFKC').replace(',', '.');
      if (!NUMBER.test(folded)) throw new FormAnswerError(q.id);
      return Number(folded);
    }
  }
}

export function answersFromFields(
  questions: readonly FieldQuestion[],
  fields: FormFields,
): Record<string, AnswerValue> {
  const answers: Record<string, AnswerValue> = {};
  for (const q of questions) {
    const values = (fields.get(q.id) ?? []).map((v) => v.trim()).filter((v) => v !== '');
    const value = convert(q, values);
    if (value !== undefined) answers[q.id] = value;
  }
  return answers;
}
