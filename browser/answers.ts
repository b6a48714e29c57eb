import definition from '../core/questionnaire/questionnaire.v1.json';
import {
  answersFromFields as convertFields,
  FormAnswerError,
  type AnswerValue,
  type FieldQuestion,
} from '../core/questionnaire/form-fields';

// Questionnaire answers typed exactly as the no-JS form's server code types them (the same
// conversion, core/questionnaire/form-fields.ts). Only the raw definition is bundled, not its
// zod schema; the worker validates answers against the schema either way.

export type { AnswerValue };
/** A bad answer names its question (questionId). */
export { FormAnswerError as BadAnswer };

const questions: FieldQuestion[] = (
  definition as { sections: { questions: FieldQuestion[] }[] }
).sections.flatMap((s) => s.questions);

export function answersFromFields(
  fields: ReadonlyMap<string, string[]>,
): Record<string, AnswerValue> {
  return convertFields(questions, fields);
}
