import definition from '../core/questionnaire/questionnaire.v1.json';

// Questionnaire answers typed the way the no-JS form's server code types them
// (server/page/form-answers.ts): single → option id, multi → option ids, yesno → boolean,
// number → number, text → string, empty → omitted. Only the raw definition is bundled, not
// its zod schema (zod alone would double the script a cheap phone downloads over Tor); the
// worker validates answers against the schema either way, and the browser test checks that
// a reviewer sees the same typed answers.

export type AnswerValue = string | string[] | number | boolean;

interface QuestionDef {
  id: string;
  type: 'text' | 'number' | 'single' | 'multi' | 'yesno';
}

const questions: QuestionDef[] = (
  definition as { sections: { questions: QuestionDef[] }[] }
).sections.flatMap((s) => s.questions);

const NUMBER = /^\d{1,6}(?:\.\d+)?$/;

/** A bad answer names its question, like the server's BadAnswerError. */
export class BadAnswer extends Error {
  constructor(readonly questionId: string) {
    super('BAD_ANSWER');
  }
}

function convert(q: QuestionDef, values: string[]): AnswerValue | undefined {
  const last = values[values.length - 1];
  if (last === undefined) return undefined;
  switch (q.type) {
    case 'multi':
      return [...new Set(values)];
    case 'single':
    case 'text':
      return last;
    case 'yesno':
      if (last === 'yes' || last === 'no') return last === 'yes';
      throw new BadAnswer(q.id);
    case 'number': {
      const folded = last.normalize('NFKC').replace(',', '.');
      if (!NUMBER.test(folded)) throw new BadAnswer(q.id);
      return Number(folded);
    }
  }
}

export function answersFromFields(
  fields: ReadonlyMap<string, string[]>,
): Record<string, AnswerValue> {
  const answers: Record<string, AnswerValue> = {};
  for (const q of questions) {
    const values = (fields.get(q.id) ?? []).map((v) => v.trim()).filter((v) => v !== '');
    const value = convert(q, values);
    if (value !== undefined) answers[q.id] = value;
  }
  return answers;
}
