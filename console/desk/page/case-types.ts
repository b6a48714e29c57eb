// The case as the desk's API sends it to the page (console/desk/case-view.ts builds it).

export interface FileView {
  status: 'clean' | 'held-back';
  fileId: string | null;
  name: string;
  mime?: string;
  size: number;
  inline?: boolean;
  removed: string[];
  /** What the worker deliberately left in a clean file (e.g. a colour profile converted). */
  kept?: string[];
  /** The safe PDF rendition of the file, when the worker made one. */
  rendition?: { pages: number; truncated: boolean } | null;
  /** Text read out of the picture, with its translation (null when none was made). */
  ocr?: {
    text: string;
    language: string;
    translation: string | null;
    /** Why there is no translation (the record's not-translated reason). */
    notTranslated?: string | null;
  } | null;
  reason?: string;
}

export interface RecordView {
  id: string;
  receivedOn: string;
  status: string;
  language: string;
  canReply: boolean;
  original: string;
  translation: { title: string; text: string };
  sanitisation: string[];
  files: FileView[];
  answers: Array<{ id: string; question: string; answer: string }>;
  answerIndicators: Array<{ id: string }>;
  entries: Array<{ id: string; kind: string; author: string; day: string; text: string }>;
}

export interface CaseView {
  records: RecordView[];
  indicators: Array<{
    indicator: string;
    quote: string;
    confidence: string;
    author: string | null;
    day: string;
  }>;
}
