import definition from './questionnaire.v1.json';
import { answersSchemaFor, computeIndicatorsFor } from './answers';
import { questionnaireSchema, type Questionnaire } from './definition.schema';

// The testimony questionnaire, defined as data (questionnaire.v1.json) so a deployment can
// change the questions without touching code. It is validated synchronously on first import:
// a broken definition stops the server, worker or console at start, naming the problem.

export function loadQuestionnaire(raw: unknown): Questionnaire {
  const parsed = questionnaireSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid questionnaire definition: ${issues.join('; ')}`);
  }
  return parsed.data;
}

export const questionnaire: Questionnaire = Object.freeze(loadQuestionnaire(definition));

/** What a valid answer set to the shipped questionnaire is. */
export const answersSchema = answersSchemaFor(questionnaire);

/** The ILO indicators the answers point to: sorted, unique, unknown ids and values ignored. */
export function computeIndicators(answers: unknown): string[] {
  return computeIndicatorsFor(questionnaire, answers);
}

export { answersSchemaFor, computeIndicatorsFor } from './answers';
export {
  QUESTIONNAIRE_LANGUAGES,
  questionnaireSchema,
  type Question,
  type Questionnaire,
  type QuestionnaireLanguage,
} from './definition.schema';
export {
  ILO_INDICATORS,
  ILO_INDICATOR_NAMES,
  indicatorName,
  isIloIndicator,
  type IloIndicator,
} from './indicators';
