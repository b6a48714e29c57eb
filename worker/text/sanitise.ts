// Text sanitiser: normalises testimony text and strips invisible marks that can fingerprint a
// copy. Pure and deterministic; the report holds counts only.

import type { TextSanitiseReport } from '../../core/record/text-sanitise-report';

type RemovedKey = keyof TextSanitiseReport['removed'];

// Every Default_Ignorable_Code_Point goes, ZWJ inside emoji sequences included: an emoji
// rendering slightly differently is a small price, an invisible mark that identifies whose
// copy leaked is not.
const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;
const ZERO_WIDTH = /^[\u180E\u200B-\u200D\u2060\uFEFF]$/u;
const BIDI_CONTROL = /^[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]$/u;
const TAG_CHARACTER = /^[\u{E0000}-\u{E007F}]$/u;
// Includes the Mongolian free variation selectors: they carry watermarks just as well.
const VARIATION_SELECTOR = /^\p{Variation_Selector}$/u;
const HANGUL_FILLER = /^[\u115F\u1160\u3164\uFFA0]$/u;

const NEWLINE = /\r\n|[\r\u0085\u2028\u2029]/g;
// C0 and C1 controls except TAB and LF (LF is the only line break left after NEWLINE).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const EXOTIC_SPACE = /[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;
// NFKC would turn Hangul compatibility jamo (ㄱ → U+1100), enclosed forms (㉠ → (ᄀ)) and
// half-width Hangul into conjoining jamo that no longer read as written, so those ranges are
// left alone and NFKC is applied to each maximal run of everything else.
const NFKC_RUN = /[^\u3130-\u318F\u3200-\u32FF\uFFA0-\uFFDC]+/gu;
const TRAILING_SPACE = /[ \t]+$/gm;
// Text made of these alone passes every step but the trim unchanged: printable ASCII and
// precomposed Hangul syllables are NFC and NFKC stable, none is ignorable, a control or an
// exotic space, and LF is the line break kept. Most testimonies are; one scan spares them.
const UNCHANGED_BY_NORMALISING = /^[\n\x20-\x7E\uAC00-\uD7A3]*$/;

function classifyIgnorable(ch: string): RemovedKey {
  if (ZERO_WIDTH.test(ch)) return 'zeroWidth';
  if (BIDI_CONTROL.test(ch)) return 'bidiControls';
  if (TAG_CHARACTER.test(ch)) return 'tagCharacters';
  if (VARIATION_SELECTOR.test(ch)) return 'variationSelectors';
  if (HANGUL_FILLER.test(ch)) return 'hangulFillers';
  return 'otherIgnorable';
}

/** What `[...s].length` counts (a lone surrogate is one), without a string per character. */
function codePointLength(s: string): number {
  let pairs = 0;
  for (let i = 0; i < s.length - 1; i++) {
    const cu = s.charCodeAt(i);
    if (cu >= 0xd800 && cu <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return s.length - pairs;
}

function countReplace(
  s: string,
  re: RegExp,
  replace: (m: string) => string,
  onMatch: (m: string) => void,
): string {
  return s.replace(re, (m) => {
    onMatch(m);
    return replace(m);
  });
}

export function sanitiseText(input: string): { text: string; report: TextSanitiseReport } {
  const report: TextSanitiseReport = {
    removed: {
      zeroWidth: 0,
      bidiControls: 0,
      tagCharacters: 0,
      variationSelectors: 0,
      hangulFillers: 0,
      otherIgnorable: 0,
      controlCharacters: 0,
    },
    newlinesNormalised: 0,
    spacesNormalised: 0,
    nfkcChanged: 0,
    trailingSpacesTrimmed: 0,
    lengthBefore: codePointLength(input),
    lengthAfter: 0,
  };
  const removeIgnorable = (s: string): string =>
    countReplace(
      s,
      DEFAULT_IGNORABLE,
      () => '',
      (m) => report.removed[classifyIgnorable(m)]++,
    );

  let text = input;
  if (!UNCHANGED_BY_NORMALISING.test(input)) {
    text = input.normalize('NFC');
    text = countReplace(
      text,
      NEWLINE,
      () => '\n',
      () => report.newlinesNormalised++,
    );
    text = removeIgnorable(text);
    text = countReplace(
      text,
      CONTROL,
      () => '',
      () => report.removed.controlCharacters++,
    );
    // Before NFKC, which would otherwise fold most of these into U+0020 uncounted.
    text = countReplace(
      text,
      EXOTIC_SPACE,
      () => ' ',
      () => report.spacesNormalised++,
    );
    text = text.replace(NFKC_RUN, (run) => {
      const folded = run.normalize('NFKC');
      if (folded !== run) {
        for (const ch of run) if (ch.normalize('NFKC') !== ch) report.nfkcChanged++;
      }
      return folded;
    });
    text = text.normalize('NFC');
    // NFKC can map a visible compatibility character onto an ignorable one; sweep again so the
    // output never holds one (and a second pass finds nothing to do).
    text = removeIgnorable(text);
  }
  text = countReplace(
    text,
    TRAILING_SPACE,
    () => '',
    (m) => (report.trailingSpacesTrimmed += m.length),
  );
  report.lengthAfter = codePointLength(text);
  return { text, report };
}
