// The ILO's 11 indicators of forced labour (ILO Special Action Programme to Combat Forced
// Labour, "ILO Indicators of Forced Labour", 2012). The ids are stable: records store them.

export const ILO_INDICATORS = [
  'abuse_of_vulnerability',
  'deception',
  'restriction_of_movement',
  'isolation',
  'physical_and_sexual_violence',
  'intimidation_and_threats',
  'retention_of_identity_documents',
  'withholding_of_wages',
  'debt_bondage',
  'abusive_working_and_living_conditions',
  'excessive_overtime',
] as const;

export type IloIndicator = (typeof ILO_INDICATORS)[number];

/** English names as the ILO writes them, for reviewers' consoles. */
export const ILO_INDICATOR_NAMES: Readonly<Record<IloIndicator, string>> = Object.freeze({
  abuse_of_vulnerability: 'Abuse of vulnerability',
  deception: 'Deception',
  restriction_of_movement: 'Restriction of movement',
  isolation: 'Isolation',
  physical_and_sexual_violence: 'Physical and sexual violence',
  intimidation_and_threats: 'Intimidation and threats',
  retention_of_identity_documents: 'Retention of identity documents',
  withholding_of_wages: 'Withholding of wages',
  debt_bondage: 'Debt bondage',
  abusive_working_and_living_conditions: 'Abusive working and living conditions',
  excessive_overtime: 'Excessive overtime',
});

export function isIloIndicator(id: string): id is IloIndicator {
  return (ILO_INDICATORS as readonly string[]).includes(id);
}

/** The English name of an indicator id, or the id itself when it is not one of the 11. */
export function indicatorName(id: string): string {
  return isIloIndicator(id) ? ILO_INDICATOR_NAMES[id] : id;
}
