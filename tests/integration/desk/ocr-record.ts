import { randomId } from '../../../crypto';
import type { RecordBodyV1, RecordFile } from '../../../core/record/record-body';

// A record body as the worker writes it for a photo of a paper contract (issue 15's contract):
// its OCR text and that text's translation, and a PDF rendition. Built by hand for the inbox's
// and the case file's own tests, which need no worker; tests/browser/desk.test.ts submits one.

export const OCR_TEXT = '근로계약서 고용주 한빛수산 월급 없음';
export const OCR_TRANSLATION = 'Employment contract employer Hanbit Fisheries no wages';

const NOTHING_REMOVED = {
  zeroWidth: 0,
  bidiControls: 0,
  tagCharacters: 0,
  variationSelectors: 0,
  hangulFillers: 0,
  otherIgnorable: 0,
  controlCharacters: 0,
};

interface StoredPart {
  fileId: string;
  size: number;
  sha256: string;
}

export function ocrPhotoFile(
  o: { text?: string; translation?: string; photo?: StoredPart; rendition?: StoredPart } = {},
): RecordFile {
  return {
    status: 'clean',
    ...(o.photo ?? { fileId: randomId(), size: 1000, sha256: '0'.repeat(64) }),
    name: 'contract.jpg',
    mime: 'image/jpeg',
    extension: 'jpg',
    subkeyId: 1,
    report: { format: 'jpeg', removed: ['EXIF GPS'], kept: [] },
    rendition: {
      ...(o.rendition ?? { fileId: randomId(), size: 2000, sha256: '1'.repeat(64) }),
      subkeyId: 2,
      mime: 'application/pdf',
      pages: 1,
      dpi: 150,
      truncated: false,
    },
    ocr: {
      text: o.text ?? OCR_TEXT,
      lang: { code: 'ko', confidence: 0.9, method: 'detector' },
      translation: {
        text: o.translation ?? OCR_TRANSLATION,
        engine: 'libretranslate',
        engineVersion: '1',
        source: 'ko',
        target: 'en',
      },
    },
  };
}

/** A whole record body whose testimony says nothing of what the OCR'd photo says. */
export function recordBodyWithOcr(files: RecordFile[] = [ocrPhotoFile()]): RecordBodyV1 {
  const text = '사진을 보내요.';
  return {
    v: 1,
    submissionId: randomId(),
    receivedOn: new Date().toISOString().slice(0, 10),
    text,
    lang: { code: 'ko', confidence: 0.99, method: 'script' },
    translation: {
      text: 'I am sending a photo.',
      engine: 'libretranslate',
      engineVersion: '1',
      source: 'ko',
      target: 'en',
    },
    answers: {},
    sanitisation: {
      removed: NOTHING_REMOVED,
      newlinesNormalised: 0,
      spacesNormalised: 0,
      nfkcChanged: 0,
      trailingSpacesTrimmed: 0,
      lengthBefore: text.length,
      lengthAfter: text.length,
    },
    answersSanitisation: null,
    files,
    originals: { custodian: false, count: 0 },
    sourcePublicKey: null,
    rejectedFields: [],
    receivedSha256: '2'.repeat(64),
  };
}
