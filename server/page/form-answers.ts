import { AppError, E } from '../../core/errors';
import { answersSchemaFor, type Questionnaire } from '../../core/questionnaire';
import {
  answersFromFields,
  FormAnswerError,
  type AnswerValue,
  type FormFields,
} from '../../core/questionnaire/form-fields';

// The no-JS form posts every answer as text under the question's id (the same names the page
// script reads, see PAGE.md). They are typed by the conversion the browser script uses too
// (core/questionnaire/form-fields.ts), then checked against the questionnaire's own schema.

export type { AnswerValue, FormFields };

/** A bad answer names its question so the page can say which one. */
export class BadAnswerError extends AppError {
  readonly questionId: string;
  constructor(questionId: string) {
    super(E.BAD_ANSWER);
    this.questionId = questionId;
  }
}

const schemas = new WeakMap<Questionnaire, ReturnType<typeof answersSchemaFor>>();

export function answersFromForm(
  def: Questionnaire,
  fields: FormFields,
): Record<string, AnswerValue> {
  let answers: Record<string, AnswerValue>;
  try {
    answers = answersFromFields(
      def.sections.flatMap((s) => s.questions),
      fields,
    );
  } catch (err) {
    if (err instanceof FormAnswerError) throw new BadAnswerError(err.questionId);
    throw err;
  }
  let schema = schemas.get(def);
  if (!schema) schemas.set(def, (schema = answersSchemaFor(def)));
  const checked = schema.safeParse(answers);
  if (!checked.success) throw new BadAnswerError(String(checked.error.issues[0]?.path[0] ?? ''));
  return answers;
}
