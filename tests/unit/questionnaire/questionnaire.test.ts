import definition from '../../../core/questionnaire/questionnaire.v1.json';
import {
  answersSchema,
  computeIndicators,
  ILO_INDICATORS,
  ILO_INDICATOR_NAMES,
  loadQuestionnaire,
  questionnaire,
  QUESTIONNAIRE_LANGUAGES,
} from '../../../core/questionnaire';

const questions = questionnaire.sections.flatMap((s) => s.questions);

describe('questionnaire definition', () => {
  it('has every title, label, help and option in all four languages', () => {
    const texts = [
      ...questionnaire.sections.map((s) => s.title),
      ...questions.flatMap((q) => [q.label, ...(q.help ? [q.help] : [])]),
      ...questions.flatMap((q) => (q.options ?? []).map((o) => o.label)),
    ];
    for (const t of texts)
      for (const lang of QUESTIONNAIRE_LANGUAGES) expect(t[lang].trim()).not.toBe('');
  });

  it('maps only to the 11 ILO indicators, and uses each of them', () => {
    const used = new Set(questions.flatMap((q) => Object.values(q.indicators ?? {}).flat()));
    for (const id of used) expect(ILO_INDICATORS).toContain(id);
    expect([...used].sort()).toEqual([...ILO_INDICATORS].sort());
    expect(Object.keys(ILO_INDICATOR_NAMES).sort()).toEqual([...ILO_INDICATORS].sort());
  });

  it('asks what the issue lists', () => {
    const ids = questions.map((q) => q.id);
    for (const id of ['where', 'sector', 'hours_per_day', 'days_off_per_month', 'passport_held'])
      expect(ids).toContain(id);
    expect(questions.find((q) => q.id === 'where')?.help?.ko).toMatch(/정확한 장소/);
  });

  it('refuses a definition with an unknown indicator, bad key or missing language', () => {
    const clone = () => JSON.parse(JSON.stringify(definition)) as typeof definition;
    const unknownIndicator = clone() as unknown as {
      sections: Array<{ questions: Array<Record<string, unknown>> }>;
    };
    unknownIndicator.sections[0]!.questions[3]!.indicators = { it: ['slavery'] };
    expect(() => loadQuestionnaire(unknownIndicator)).toThrow(/Invalid questionnaire/);
    const badKey = clone() as unknown as typeof unknownIndicator;
    badKey.sections[0]!.questions[3]!.indicators = { nope: ['deception'] };
    expect(() => loadQuestionnaire(badKey)).toThrow(/bad indicator key/);
    const noRussian = clone() as unknown as { sections: Array<{ title: Record<string, string> }> };
    delete noRussian.sections[0]!.title.ru;
    expect(() => loadQuestionnaire(noRussian)).toThrow(/Invalid questionnaire/);
  });
});

describe('answersSchema', () => {
  it('accepts a typed answer set and null for skipped questions', () => {
    const ok = answersSchema.safeParse({
      where: '러시아 극동',
      year_started: 2016,
      sector: 'construction',
      hours_per_day: 14,
      passport_held: true,
      surveillance: ['group_of_five', 'self_criticism'],
      how_left: null,
    });
    expect(ok.success).toBe(true);
  });

  it.each([
    [{ sector: 'mining' }],
    [{ hours_per_day: 25 }],
    [{ passport_held: 'yes' }],
    [{ surveillance: ['group_of_five', 'group_of_five'] }],
    [{ unknown_question: 1 }],
  ])('refuses %j', (answers) => {
    expect(answersSchema.safeParse(answers).success).toBe(false);
  });
});

describe('computeIndicators', () => {
  it('finds nothing in no answers or harmless ones', () => {
    expect(computeIndicators({})).toEqual([]);
    expect(computeIndicators(null)).toEqual([]);
    expect(
      computeIndicators({
        hours_per_day: 8,
        days_off_per_month: 4,
        passport_held: false,
        wages_taken: 'none',
      }),
    ).toEqual([]);
  });

  it('maps a typical account of a construction site in Russia', () => {
    expect(
      computeIndicators({
        sector: 'construction',
        hours_per_day: 16,
        days_off_per_month: 1,
        housing: 'shipping_container',
        passport_held: true,
        wages_taken: 'almost_all',
        surveillance: ['group_of_five', 'self_criticism'],
        violence: ['threatened_family'],
      }),
    ).toEqual([
      'abuse_of_vulnerability',
      'abusive_working_and_living_conditions',
      'excessive_overtime',
      'intimidation_and_threats',
      'isolation',
      'restriction_of_movement',
      'retention_of_identity_documents',
      'withholding_of_wages',
    ]);
  });

  it('applies number thresholds strictly (> 12 hours, < 2 days off)', () => {
    expect(computeIndicators({ hours_per_day: 12 })).toEqual([]);
    expect(computeIndicators({ hours_per_day: 13 })).toEqual(['excessive_overtime']);
    expect(computeIndicators({ days_off_per_month: 2 })).toEqual([]);
    expect(computeIndicators({ days_off_per_month: 0 })).toEqual(['excessive_overtime']);
  });

  it('reads the no-JavaScript form’s strings: "yes", "14", a single checkbox', () => {
    expect(
      computeIndicators({
        debt: 'yes',
        hours_per_day: '14',
        surveillance: 'phone_checks',
        could_quit: 'no',
      }),
    ).toEqual([
      'abuse_of_vulnerability',
      'debt_bondage',
      'excessive_overtime',
      'isolation',
      'restriction_of_movement',
    ]);
  });

  it('ignores unknown ids and values, out-of-range numbers and prototype keys', () => {
    const answers = JSON.parse(
      '{"__proto__": {"passport_held": true}, "nope": "yes", "housing": "palace", "hours_per_day": 99, "wages_received": ["none"], "violence": ["beaten", 3, "flying"]}',
    ) as unknown;
    expect(computeIndicators(answers)).toEqual(['physical_and_sexual_violence']);
  });

  it('is sorted and unique', () => {
    const out = computeIndicators({
      violence: ['threatened_sent_home', 'threatened_family', 'threatened_punishment'],
      surveillance: ['self_criticism', 'group_of_five'],
    });
    expect(out).toEqual([...new Set(out)].sort());
  });
});
