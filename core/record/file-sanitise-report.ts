// What a file sanitiser removed from an attachment and what it kept, by name, never values.
// Fields may be added, never changed: reviewers' consoles read old records too.

export interface FileSanitiseReport {
  format: string;
  /** Human-readable names of what was removed, e.g. 'EXIF GPS', 'XMP', 'PDF Info dictionary' — never values. */
  removed: string[];
  /** e.g. 'ICC profile converted to sRGB'. */
  kept: string[];
  notes?: string[];
}
