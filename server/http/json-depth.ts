// Measures JSON nesting on the raw bytes before JSON.parse, so a hostile body of a million
// '[' is refused in one linear pass instead of building (or recursing into) a huge structure.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** True when the bytes nest arrays/objects deeper than max (strings are skipped). */
export function exceedsJsonDepth(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      // Strings are most of an envelope (its base64url fields): jump to the closing quote with
      // a native search instead of walking every byte. A quote is escaped when an odd number
      // of backslashes runs up to it; the opening quote stops that run.
      for (;;) {
        const close = bytes.indexOf(QUOTE, i + 1);
        if (close === -1) return false; // unterminated: JSON.parse refuses it
        let slashes = 0;
        while (bytes[close - 1 - slashes] === BACKSLASH) slashes++;
        i = close;
        if (slashes % 2 === 0) break;
      }
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return false;
}
