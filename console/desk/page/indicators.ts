import {
  ILO_INDICATOR_NAMES,
  ILO_INDICATORS,
  isIloIndicator,
  type IloIndicator,
} from '../../../core/questionnaire/indicators';
import { lang } from './i18n';

// The ILO indicators in the page's language: the ids and English names are core's.

const KOREAN: Readonly<Record<IloIndicator, string>> = {
  abuse_of_vulnerability: '취약성 악용',
  deception: '기만',
  restriction_of_movement: '이동 제한',
  isolation: '고립',
  physical_and_sexual_violence: '신체적·성적 폭력',
  intimidation_and_threats: '협박과 위협',
  retention_of_identity_documents: '신분증 압수',
  withholding_of_wages: '임금 체불',
  debt_bondage: '채무 속박',
  abusive_working_and_living_conditions: '열악한 근로·생활 환경',
  excessive_overtime: '과도한 초과 근무',
};

export const INDICATOR_IDS: readonly IloIndicator[] = ILO_INDICATORS;

export function indicatorLabel(id: string): string {
  if (!isIloIndicator(id)) return id;
  return lang() === 'ko' ? KOREAN[id] : ILO_INDICATOR_NAMES[id];
}
