import { questionnaire, type Question } from '../../core/questionnaire';
import { wrap } from './width';
import { consoleLanguage } from '../messages-ko';

// Questionnaire answers as the reviewer reads them: the question's own words and the chosen
// options' labels, not the internal ids the form sends. An id the questionnaire does not know
// (another deployment's question, or an older version) is shown as it came.

const QUESTIONS: ReadonlyMap<string, Question> = new Map(
  questionnaire.sections.flatMap((s) => s.questions.map((q) => [q.id, q] as const)),
);

type Lang = 'en' | 'ko';

function valueText(q: Question | undefined, v: unknown, lang: Lang = 'en'): string {
  const label = (id: unknown): string => {
    const l = q?.options?.find((o) => o.id === id)?.label;
    return (l && (l[lang] ?? l.en)) ?? String(id);
  };
  if (Array.isArray(v)) return v.map(label).join('; ');
  if (v === null || v === undefined) return '—';
  if (q?.type === 'yesno' && typeof v === 'boolean')
    return lang === 'ko' ? (v ? '예' : '아니요') : v ? 'yes' : 'no';
  return q?.options ? label(v) : String(v);
}

/** Each answer as its question (with the id, for filters and exports) and the answer below it. */
export function answerLines(
  answers: Record<string, unknown>,
  width: number,
  lang: Lang = consoleLanguage(),
): string[] {
  const lines: string[] = [];
  for (const [id, value] of Object.entries(answers)) {
    const q = QUESTIONS.get(id);
    const question = q ? `${q.label[lang] ?? q.label.en} (${id})` : id;
    lines.push(...wrap(question, Math.max(20, width - 2)).map((l) => `  ${l}`));
    lines.push(
      ...wrap(valueText(q, value, lang), Math.max(20, width - 6)).map((l) => `      ${l}`),
    );
  }
  return lines;
}

/** Each answer as question and answer text in one language (the desk shows them as a list). */
export function answerPairs(
  answers: Record<string, unknown>,
  lang: Lang,
): Array<{ id: string; question: string; answer: string }> {
  return Object.entries(answers).map(([id, value]) => {
    const q = QUESTIONS.get(id);
    return {
      id,
      question: q ? (q.label[lang] ?? q.label.en) : id,
      answer: valueText(q, value, lang),
    };
  });
}
