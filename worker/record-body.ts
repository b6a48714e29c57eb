import type { SanitiseReport } from './text/sanitise';
import type { DetectedLanguage } from './text/language';
import type { AnswerValue } from './manifest.schema';

// The decrypted shape of a record body (record envelope v1), as reviewers' consoles read it.
// Only the worker ever builds one, only in memory, and it is encrypted before it leaves.

export type Translation =
  | { text: string; engine: string; engineVersion: string; source: string; target: string }
  | { status: 'not-translated'; reason: NotTranslatedReason; code?: string };

export type NotTranslatedReason =
  /** TRANSLATOR=none: the operator chose no machine translation. */
  | 'translator-disabled'
  /** Already in the target language. */
  | 'same-language'
  /** The engine failed for now; a 'translation' entry follows when a retry succeeds. */
  | 'pending'
  /** The engine refused for good (e.g. unsupported language); a human translation is needed. */
  | 'engine-refused';

export interface RecordBodyV1 {
  v: 1;
  submissionId: string;
  receivedOn: string;
  text: string;
  lang: { code: string; confidence: number; method: DetectedLanguage['method']; declared?: string };
  translation: Translation;
  answers: Record<string, AnswerValue>;
  /** What was removed from the text. */
  sanitisation: SanitiseReport;
  /** What was removed from the questionnaire answers (keys and values), null without answers. */
  answersSanitisation: SanitiseReport['removed'] | null;
  /** Held-back attachments: the worker cannot sanitise files yet, so none is passed on. */
  attachments: { heldBack: number; reason: 'unsupported' } | null;
  sourcePublicKey: string | null;
  /** Manifest fields that arrived unusable and were dropped (names only). */
  rejectedFields: string[];
  receivedSha256: string;
}

/** A machine translation appended later by retry-translation (record_entries kind 'translation'). */
export interface TranslationEntryV1 {
  v: 1;
  kind: 'translation';
  text: string;
  engine: string;
  engineVersion: string;
  source: string;
  target: string;
}
