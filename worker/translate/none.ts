// The 'none' engine. There is deliberately no Translator that pretends to translate: the
// factory in index.ts returns null for 'none', and the worker stores this marker instead, so a
// record can never carry an untranslated copy that looks like a translation. Reviewers add a
// human translation from the console.

export const NO_TRANSLATION_ENGINE = 'none';

export interface NotTranslated {
  translated: false;
  engine: typeof NO_TRANSLATION_ENGINE;
  /** Detected source language ('und' when unknown). */
  source: string;
}

export function notTranslated(source: string): NotTranslated {
  return { translated: false, engine: NO_TRANSLATION_ENGINE, source };
}
