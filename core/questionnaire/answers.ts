import { z } from 'zod';
import { NUMBER_RULE, type Question, type Questionnaire } from './definition.schema';

// Answers are a flat object keyed by question id: single → option id, multi → option ids,
// text → string, number → number, yesno → boolean. Every question is optional, and null means
// "not answered" (a source may skip anything).

const MAX_TEXT = 2_000;

function valueSchema(q: Question): z.ZodType {
  const optionIds = (q.options ?? []).map((o) => o.id);
  switch (q.type) {
    case 'single':
      return z.enum(optionIds as [string, ...string[]]);
    case 'multi':
      return z
        .array(z.enum(optionIds as [string, ...string[]]))
        .max(optionIds.length)
        .refine((a) => new Set(a).size === a.length, 'duplicate options');
    case 'text':
      return z.string().max(MAX_TEXT);
    case 'number': {
      let n = z.number().finite();
      if (q.min !== undefined) n = n.min(q.min);
      if (q.max !== undefined) n = n.max(q.max);
      return n;
    }
    case 'yesno':
      return z.boolean();
  }
}

/** What a valid answer set for this questionnaire is (unknown question ids are refused). */
export function answersSchemaFor(def: Questionnaire): z.ZodType<Record<string, unknown>> {
  const shape: Record<string, z.ZodType> = {};
  for (const q of def.sections.flatMap((s) => s.questions))
    shape[q.id] = valueSchema(q).nullable().optional();
  return z.strictObject(shape);
}

// computeIndicators reads answers as they arrive, which is not always as answersSchema wants
// them: the no-JavaScript form posts strings ("yes", "14"), and an older page may send ids a
// newer definition no longer has. It is lenient in what it reads and ignores whatever it
// cannot place, since an indicator must never be invented from a value nobody chose.

function asYesNo(v: unknown): 'yes' | 'no' | null {
  if (v === true || v === 'yes' || v === 'true') return 'yes';
  if (v === false || v === 'no' || v === 'false') return 'no';
  return null;
}

function asNumber(q: Question, v: unknown): number | null {
  const n =
    typeof v === 'number'
      ? v
      : typeof v === 'string' && /^\d{1,6}(\.\d+)?$/.test(v.trim())
        ? Number(v)
        : NaN;
  if (!Number.isFinite(n)) return null;
  if ((q.min !== undefined && n < q.min) || (q.max !== undefined && n > q.max)) return null;
  return n;
}

function numberRuleHolds(rule: string, n: number): boolean {
  const m = NUMBER_RULE.exec(rule);
  if (!m) return false;
  const bound = Number(m[2]);
  switch (m[1]) {
    case '>':
      return n > bound;
    case '>=':
      return n >= bound;
    case '<':
      return n < bound;
    default:
      return n <= bound;
  }
}

/** The indicator keys (option ids, yes/no, number rules) an answer to `q` matches. */
function matchedKeys(q: Question, v: unknown): string[] {
  const rules = Object.keys(q.indicators ?? {});
  const optionIds = new Set((q.options ?? []).map((o) => o.id));
  switch (q.type) {
    case 'single':
      return typeof v === 'string' && optionIds.has(v) ? [v] : [];
    case 'multi': {
      const chosen = Array.isArray(v) ? v : [v];
      return chosen.filter((c): c is string => typeof c === 'string' && optionIds.has(c));
    }
    case 'yesno': {
      const yn = asYesNo(v);
      return yn ? [yn] : [];
    }
    case 'number': {
      const n = asNumber(q, v);
      return n === null ? [] : rules.filter((r) => numberRuleHolds(r, n));
    }
    case 'text':
      return [];
  }
}

/** The ILO indicator ids these answers point to: sorted, unique; unknown ids/values ignored. */
export function computeIndicatorsFor(def: Questionnaire, answers: unknown): string[] {
  if (!answers || typeof answers !== 'object' || Array.isArray(answers)) return [];
  const found = new Set<string>();
  for (const q of def.sections.flatMap((s) => s.questions)) {
    if (!q.indicators || !Object.prototype.hasOwnProperty.call(answers, q.id)) continue;
    const value: unknown = (answers as Record<string, unknown>)[q.id];
    for (const key of matchedKeys(q, value))
      for (const indicator of Object.prototype.hasOwnProperty.call(q.indicators, key)
        ? (q.indicators[key] ?? [])
        : [])
        found.add(indicator);
  }
  return [...found].sort();
}
