import { recordFileKey, type Bytes } from '../../crypto';
import type { RecordFileOcr, RecordFileRendition } from '../../core/record/record-body';
import type { SanitiseResult } from '../sanitise/types';
import { detectLanguage } from '../text/language';
import { sha256HexOf } from './blob-sink';
import type { FileWriter } from './file-writer';

// A clean file's readings from its jail, into the record: the safe rendition as a record-file
// blob of its own (under its own sub-key of R, like the clean copy) and the OCR text with its
// detected language. Only a photo's text is translated, later (translate-file-texts.ts).

/**
 * Renditions' sub-keys of R: this plus the clean copy's. Clean copies use 1..n (n attachments,
 * far fewer than this), so no two blobs of a record share a key.
 */
export const RENDITION_SUBKEY_BASE = 1 << 20;

type Clean = Extract<SanitiseResult, { status: 'clean' }>;

export async function recordReadings(
  writer: FileWriter,
  recordKey: Bytes,
  subkeyId: number,
  result: Clean,
): Promise<{ rendition?: RecordFileRendition; ocr?: RecordFileOcr }> {
  const out: { rendition?: RecordFileRendition; ocr?: RecordFileOcr } = {};
  if (result.rendition) {
    const { data, pages, dpi, truncated } = result.rendition;
    try {
      const renditionSubkey = RENDITION_SUBKEY_BASE + subkeyId;
      const fileId = await writer.writeRecordFile(recordFileKey(recordKey, renditionSubkey), data);
      out.rendition = {
        fileId,
        size: data.length,
        sha256: sha256HexOf(data),
        subkeyId: renditionSubkey,
        mime: 'application/pdf',
        pages,
        dpi,
        truncated,
      };
    } finally {
      data.fill(0);
    }
  }
  if (result.ocr && result.ocr.text.trim() !== '') {
    const detected = detectLanguage(result.ocr.text);
    out.ocr = {
      text: result.ocr.text,
      lang: { code: detected.lang, confidence: detected.confidence, method: detected.method },
      // A photo's text is translated next (translate-file-texts.ts), which replaces this.
      translation: {
        status: 'not-translated',
        reason: result.ocr.source === 'photo' ? 'pending' : 'not-requested',
      },
    };
  }
  return out;
}
