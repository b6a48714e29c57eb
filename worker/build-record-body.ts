import type { ClaimedSubmission } from '../core/repositories/processing.repository';
import { computeIndicators } from '../core/questionnaire';
import { toHex } from '../crypto';
import { detectLanguage } from './text/language';
import { sanitiseText } from './text/sanitise';
import type { TextSanitiseReport } from '../core/record/text-sanitise-report';
import type { Manifest } from './manifest.schema';
import type { AnswerValue } from '../core/record/answer-value';
import type { RecordBodyV1, Translation } from '../core/record/record-body';
import type { TranslationOutcome } from './translate-testimony';

// Turns an opened manifest into the record reviewers will read: sanitised text (and answers:
// free-text answers can carry the same invisible marks), the detected language, and the
// report of what was removed.

export type RecordDraft = Omit<RecordBodyV1, 'translation'>;

export type RecordFilesField = Pick<RecordBodyV1, 'files' | 'originals'>;

type Removed = TextSanitiseReport['removed'];

function sanitiseAnswers(answers: Manifest['answers']): {
  answers: Record<string, AnswerValue>;
  removed: Removed | null;
} {
  const out = Object.create(null) as Record<string, AnswerValue>;
  let removed: Removed | null = null;
  const clean = (value: string): string => {
    const r = sanitiseText(value);
    if (!removed) removed = { ...r.report.removed };
    else
      for (const key of Object.keys(removed) as Array<keyof Removed>)
        removed[key] += r.report.removed[key];
    return r.text;
  };
  for (const [key, value] of Object.entries(answers ?? {})) {
    if (typeof value === 'string') out[clean(key)] = clean(value);
    else if (Array.isArray(value)) out[clean(key)] = value.map(clean);
    else out[clean(key)] = value;
  }
  return { answers: out, removed };
}

export function buildRecordDraft(
  s: ClaimedSubmission,
  manifest: Manifest,
  files: RecordFilesField = { files: [], originals: null },
): RecordDraft {
  const { text, report } = sanitiseText(manifest.text);
  const answers = sanitiseAnswers(manifest.answers);
  const detected = detectLanguage(text);
  return {
    v: 1,
    submissionId: s.id,
    receivedOn: s.receivedOn,
    text,
    lang: {
      code: detected.lang,
      confidence: detected.confidence,
      method: detected.method,
      ...(manifest.lang ? { declared: manifest.lang } : {}),
    },
    answers: answers.answers,
    // From the sanitised answers: what reviewers filter on is what they can read.
    indicators: computeIndicators(answers.answers),
    sanitisation: report,
    answersSanitisation: answers.removed,
    // Sanitised (or held back) before the record is built: see worker/attachments.
    files: files.files,
    originals: files.originals,
    sourcePublicKey: manifest.sourcePublicKey ?? null,
    rejectedFields: manifest.rejected,
    receivedSha256: toHex(s.envelopeSha256),
  };
}

export function translationField(outcome: TranslationOutcome): Translation {
  if (outcome.kind === 'translated') return outcome.translation;
  return {
    status: 'not-translated',
    reason: outcome.reason,
    ...(outcome.code ? { code: outcome.code } : {}),
  };
}
