import type { TextSanitiseReport } from './text-sanitise-report';
import type { FileSanitiseReport } from './file-sanitise-report';
import type { DetectedLanguage } from './detected-language';
import type { AnswerValue } from './answer-value';

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
  | 'engine-refused'
  /**
   * A file's OCR text only: the engine failed and nothing retries it (retry-translation owes
   * the testimony text alone); `code` says how it failed.
   */
  | 'failed'
  /** A document rendition's OCR text: kept for search, not machine-translated. */
  | 'not-requested';

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
  sanitisation: TextSanitiseReport;
  /** What was removed from the questionnaire answers (keys and values), null without answers. */
  answersSanitisation: TextSanitiseReport['removed'] | null;
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
      /**
       * The safe rendition of a document (worker/sanitise/rendition): a new PDF made from the
       * pages' pixels alone plus an OCR text layer, its own record-file blob like the clean copy.
       * `truncated`: only the first `pages` pages were rendered (the limits in limits.ts).
       */
      rendition?: RecordFileRendition;
      /**
       * Text recognised in the file: a photo of paper (when the text is real, see
       * the rule in worker/sanitise/ocr/real-text.ts), or a document's rendition (for search; not translated).
       */
      ocr?: RecordFileOcr;
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

export interface RecordFileRendition {
  fileId: string;
  size: number;
  /** Hex SHA-256 of the rendition's plaintext. */
  sha256: string;
  subkeyId: number;
  mime: 'application/pdf';
  pages: number;
  dpi: number;
  truncated: boolean;
}

export interface RecordFileOcr {
  text: string;
  lang: { code: string; confidence: number; method: DetectedLanguage['method'] };
  translation: Translation;
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
