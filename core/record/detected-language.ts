// The language the worker detected in testimony text, and how sure it is.

export interface DetectedLanguage {
  /** ISO 639-1 code, or 'und' when the text gives too little to go on. */
  lang: string;
  /** 0..1 */
  confidence: number;
  method: 'script' | 'detector' | 'none';
}
