import { indicatorName } from '../core/questionnaire';
import type { TranslationEntryV1 } from '../core/record/record-body';
import type { RecordStatus } from './api-types';

// What the console writes inside an encrypted record entry (the server sees only the kind).
// Every entry is JSON {v: 1, kind, ...}, encrypted with crypto encryptEntry under the record
// key with the record id and entry id as additional data. The worker writes 'translation'.

export type EntryContent =
  | { v: 1; kind: 'note'; text: string }
  | { v: 1; kind: 'tag'; tag: string }
  | { v: 1; kind: 'status'; status: RecordStatus }
  | { v: 1; kind: 'assignment'; reviewerId: string; reviewerName: string }
  | { v: 1; kind: 'human-translation'; text: string; target: string }
  /** An ILO forced-labour indicator a reviewer read in the testimony, with its evidence. */
  | {
      v: 1;
      kind: 'indicator';
      indicator: string;
      quote: string;
      confidence: IndicatorConfidence;
    }
  /** The reviewers' copy of a reply sealed to the source. */
  | { v: 1; kind: 'reply'; text: string }
  | TranslationEntryV1;

export const INDICATOR_CONFIDENCES = ['low', 'medium', 'high'] as const;
export type IndicatorConfidence = (typeof INDICATOR_CONFIDENCES)[number];

/** One line that says what an entry holds, for tables and `show`. */
export function describeEntry(c: EntryContent): string {
  switch (c.kind) {
    case 'note':
      return c.text;
    case 'tag':
      return `#${c.tag}`;
    case 'status':
      return `status → ${c.status}`;
    case 'assignment':
      return `assigned to ${c.reviewerName}`;
    case 'human-translation':
      return `human translation (${c.target}): ${c.text}`;
    case 'reply':
      return `reply to source: ${c.text}`;
    case 'indicator':
      return `ILO indicator ${indicatorName(c.indicator)} (${c.confidence}): “${c.quote}”`;
    case 'translation':
      return `machine translation ${c.source}→${c.target} (${c.engine} ${c.engineVersion})`;
  }
}

/** Tags are normalised so that `--tag Wages` finds `wages`. */
export function normaliseTag(tag: string): string {
  return tag.normalize('NFC').trim().toLowerCase().replace(/^#/, '');
}
