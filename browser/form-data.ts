import { answersFromFields, type AnswerValue } from './answers';
import { PAGE } from './page-ids';

export interface SubmitFormData {
  text: string;
  files: File[];
  answers: Record<string, AnswerValue>;
}

/**
 * What the no-JS form would have posted, read from the same fields and typed by the same
 * rules the server applies to that form, so both paths send the worker the same answers.
 * Throws BadAnswer naming the question.
 */
export function readSubmitForm(form: HTMLFormElement): SubmitFormData {
  const data = new FormData(form);
  const fields = new Map<string, string[]>();
  const files: File[] = [];
  data.forEach((value, name) => {
    if (typeof value === 'string') fields.set(name, [...(fields.get(name) ?? []), value]);
    else if (name === PAGE.filesField && value.size > 0) files.push(value);
  });
  const text = fields.get(PAGE.textField)?.join('\n') ?? '';
  return { text, files, answers: answersFromFields(fields) };
}
