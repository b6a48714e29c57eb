import fc from 'fast-check';
import { exceedsJsonDepth } from '../../../server/http/json-depth';

// The depth pre-check jumps over strings with a native search; it must agree with a plain
// byte-by-byte scan (a backslash escapes the next byte inside a string) on every input.

function byteByByte(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
const check = (s: string, max: number) => exceedsJsonDepth(Buffer.from(s), max);

describe('exceedsJsonDepth', () => {
  it('counts nesting outside strings only', () => {
    expect(check(deep(8), 8)).toBe(false);
    expect(check(deep(9), 8)).toBe(true);
    expect(check(`{"a":"${'['.repeat(50)}"}`, 8)).toBe(false);
    expect(check(`{"a":{"b":[1,{"c":[]}]}}`, 3)).toBe(true);
  });

  it('ends a string only at an unescaped quote', () => {
    // "\"[[[" is one string; "\\" ends at its second quote, so the brackets after it count.
    expect(check(`["\\"[[[[[[[[[[", 1]`, 2)).toBe(false);
    expect(check(`["\\\\", [[[[]]]]]`, 3)).toBe(true);
    expect(check(`["\\\\\\"[[[[["]`, 2)).toBe(false);
  });

  it('treats an unterminated string as shallow (JSON.parse refuses it next)', () => {
    expect(check(`["${'['.repeat(20)}`, 8)).toBe(false);
  });

  it('agrees with a byte-by-byte scan on arbitrary input', () => {
    const alphabet = fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', ',', ':', '1', '한');
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 60 }),
        fc.integer({ min: 0, max: 8 }),
        (cs, max) => {
          const bytes = Buffer.from(cs.join(''));
          expect(exceedsJsonDepth(bytes, max)).toBe(byteByByte(bytes, max));
        },
      ),
      { numRuns: 20_000 },
    );
  });
});
