// Limits against decompression bombs, checked from headers before the expensive step, each
// refused with its own code (the jail's rlimits stay the backstop, not the rule).

/** Decoded pixels of an image, summed over frames/pages (a 200 MP phone photo fits). */
export const MAX_IMAGE_PIXELS = 268_402_689;
/** Pages of a PDF. */
export const MAX_PDF_PAGES = 5_000;
/** A PDF page's side, in points (200 inches, ISO A0 is ~3,370): what a renderer would rasterise. */
export const MAX_PDF_PAGE_SIDE = 14_400;
/** Entries of an office document's zip. */
export const MAX_ARCHIVE_ENTRIES = 10_000;
/** What its entries may declare in total, uncompressed. */
export const MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;
/** Uncompressed bytes per compressed byte, over the whole archive (past a small allowance). */
export const MAX_ARCHIVE_RATIO = 100;
export const ARCHIVE_RATIO_FLOOR = 16 * 1024 * 1024;
/** Audio or video length: a day. */
export const MAX_MEDIA_SECONDS = 24 * 3600;
/** Tracks (streams) of an audio or video file. */
export const MAX_MEDIA_TRACKS = 16;
/** Metadata blocks of a FLAC file, chunks of an AIFF: past these the native remuxer declines. */
export const MAX_FLAC_METADATA_BLOCKS = 1_024;
export const MAX_AIFF_CHUNKS = 1_024;

export type LimitCode =
  | 'IMAGE_TOO_MANY_PIXELS'
  | 'PDF_TOO_MANY_PAGES'
  | 'PDF_PAGE_TOO_LARGE'
  | 'ARCHIVE_TOO_MANY_ENTRIES'
  | 'ARCHIVE_TOO_LARGE'
  | 'ARCHIVE_EXPANSION_RATIO'
  | 'MEDIA_TOO_LONG'
  | 'MEDIA_TOO_MANY_TRACKS';

/** Thrown where a limit is found deep in a parser; the dispatcher turns it into its code. */
export class LimitExceeded extends Error {
  constructor(readonly code: LimitCode) {
    super(code);
  }
}

// Safe rendition and OCR (worker/sanitise/rendition, ocr): past these, the first pages are
// rendered and the report says so; nothing is refused for them.
/** Pages of a document rendered to pixels. */
export const MAX_RENDITION_PAGES = 30;
/** Rendering resolution; lowered for a page whose pixels would pass the next limit. */
export const RENDITION_DPI = 150;
/** Pixels of one rendered page (A3 at 150 DPI is about 4.3 M). */
export const MAX_RENDITION_PAGE_PIXELS = 8_000_000;
/** A photo smaller than this holds no readable page: not OCR'd. */
export const MIN_OCR_PHOTO_PIXELS = 40_000;
/** A photo is scaled down to this before OCR. */
export const MAX_OCR_PHOTO_PIXELS = 24_000_000;
