import type { SanitiseReport } from './text/sanitise';
import type { SanitiseReport as FileSanitiseReport } from './sanitise/types';
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
  /**
   * ILO forced-labour indicator ids computed from the answers (core/questionnaire), sorted.
   * Absent on records built before the questionnaire existed: read it as `?? []`.
   */
  indicators?: string[];
  /** What was removed from the text. */
  sanitisation: SanitiseReport;
  /** What was removed from the questionnaire answers (keys and values), null without answers. */
  answersSanitisation: SanitiseReport['removed'] | null;
  /** Every attachment, in manifest order: a clean copy, or held back with the reason. */
  files: RecordFile[];
  /**
   * Null without attachments. custodian: ORIGINALS=custodian was in force; count: how many
   * originals were kept sealed to the custodian (never readable by reviewers).
   */
  originals: { custodian: boolean; count: number } | null;
  sourcePublicKey: string | null;
  /** Manifest fields that arrived unusable and were dropped (names only). */
  rejectedFields: string[];
  receivedSha256: string;
}

export type RecordFile =
  | {
      status: 'clean';
      /** blobs.id of kind 'record-file': the file stream under recordFileKey(R, subkeyId). */
      fileId: string;
      /** The original name, through the text sanitiser. */
      name: string;
      mime: string;
      extension: string;
      /** Plaintext bytes of the clean file. */
      size: number;
      /** Hex SHA-256 of the clean plaintext. */
      sha256: string;
      subkeyId: number;
      report: FileSanitiseReport;
      rendition?: {
        fileId: string;
        size: number;
        sha256: string;
        subkeyId: number;
        mime: 'application/pdf';
        pages: number;
        dpi: number;
        truncated: boolean;
      };
      ocr?: {
        text: string;
        lang: { code: string; confidence: number; method: string };
        translation: Translation;
      };
    }
  | {
      status: 'unsanitised';
      /** The held-back original (kind 'original', key sealed to admins only); null if none kept. */
      fileId: string | null;
      name: string;
      /** e.g. UNSUPPORTED_FORMAT, TOOL_FAILED, VERIFY_FAILED, TOO_LARGE_TO_SANITISE. */
      reason: string;
      size: number;
      /** Hex SHA-256 of the original plaintext. */
      sha256: string;
      report: FileSanitiseReport | null;
    };

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
