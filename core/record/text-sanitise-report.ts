// What the text sanitiser removed from testimony text: counts only, never content, because
// reviewers and logs see it.

export interface TextSanitiseReport {
  removed: {
    zeroWidth: number;
    bidiControls: number;
    tagCharacters: number;
    variationSelectors: number;
    hangulFillers: number;
    otherIgnorable: number;
    controlCharacters: number;
  };
  /** CRLF, lone CR, NEL, U+2028/U+2029 turned into LF. */
  newlinesNormalised: number;
  spacesNormalised: number;
  /** Code points rewritten by the NFKC step (full-width forms, ligatures, ...). */
  nfkcChanged: number;
  /** Trailing spaces/tabs removed at line ends. */
  trailingSpacesTrimmed: number;
  /** Lengths in code points (what a reader counts), before and after. */
  lengthBefore: number;
  lengthAfter: number;
}
