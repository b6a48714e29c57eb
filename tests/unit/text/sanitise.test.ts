import fc from 'fast-check';
import { sanitiseText } from '../../../worker/text/sanitise';

const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;

describe('sanitiseText', () => {
  it('strips planted invisible marks from Korean testimony and counts them by category', () => {
    const planted =
      '\uFEFF저는\u200B 2019년에\u200D 러시아로\u200E 파견되었습니다.\u202E\n' +
      '여권을\u{E0001}\u{E0041}\u{E0042} 빼앗겼어요\uFE0F.\u3164\u00AD';
    const { text, report } = sanitiseText(planted);
    expect(text).toBe('저는 2019년에 러시아로 파견되었습니다.\n여권을 빼앗겼어요.');
    expect(report.removed).toEqual({
      zeroWidth: 3, // BOM, ZWSP, ZWJ
      bidiControls: 2, // LRM, RLO
      tagCharacters: 3,
      variationSelectors: 1,
      hangulFillers: 1,
      otherIgnorable: 1, // soft hyphen
      controlCharacters: 0,
    });
    expect(report.lengthBefore - report.lengthAfter).toBe(11);
    expect(report.lengthAfter).toBe([...text].length);
  });

  it('never puts content into the report', () => {
    const { report } = sanitiseText('비밀 증언\u200B canary-1234');
    expect(JSON.stringify(report)).not.toMatch(/비밀|canary/);
    expect(Object.values(report.removed).every((n) => typeof n === 'number')).toBe(true);
  });

  it('leaves Korean, compatibility jamo and enclosed Hangul untouched by NFKC', () => {
    const korean = '사장님이 ㄱ, ㄴ, ㅎㅎ 라고 썼어요. ㉠ 항목과 ㈜회사, ㉮ 그리고 ﾡ 반각.';
    const { text, report } = sanitiseText(korean);
    expect(text).toBe(korean);
    expect(report.nfkcChanged).toBe(0);
  });

  it('folds full-width Latin and digits to ASCII', () => {
    const { text, report } = sanitiseText('ＡＢＣ１２３');
    expect(text).toBe('ABC123');
    expect(report.nfkcChanged).toBe(6);
  });

  it('leaves Russian unchanged', () => {
    const russian =
      'Нас привезли на стройку в марте. Паспорта забрали сразу — «для сохранности».\nЁлки!';
    expect(sanitiseText(russian).text).toBe(russian);
  });

  it('composes decomposed Hangul jamo into syllables', () => {
    const decomposed = '\u1112\u1161\u11AB\u1100\u116E\u11A8\u110B\u1165'; // 한국어
    expect(sanitiseText(decomposed).text).toBe('한국어');
  });

  it('normalises line breaks, exotic spaces, controls and trailing spaces', () => {
    const { text, report } = sanitiseText(
      '첫째\u00A0줄  \r\n둘째\u3000줄\t\r셋째\u0007줄\u2028넷째',
    );
    expect(text).toBe('첫째 줄\n둘째 줄\n셋째줄\n넷째');
    expect(report.spacesNormalised).toBe(2);
    expect(report.newlinesNormalised).toBe(3);
    expect(report.removed.controlCharacters).toBe(1);
    expect(report.trailingSpacesTrimmed).toBe(3);
  });

  it('is idempotent and never outputs a default-ignorable code point', () => {
    const interesting = fc.constantFrom(
      '\u200B',
      '\u200D',
      '\uFEFF',
      '\u202E',
      '\u2066',
      '\u{E0041}',
      '\uFE0F',
      '\u{E0100}',
      '\u115F',
      '\u1160',
      '\u3164',
      '\uFFA0',
      '\u180B',
      '\u00AD',
      '\u034F',
      '\r',
      '\r\n',
      '\n',
      '\t',
      ' ',
      '\u00A0',
      '\u3000',
      '\u0301',
      '\u0316',
      'ㄱ',
      '㉠',
      'ﾡ',
      '한',
      '\u1100',
      '\u1161',
      '\u11A8',
      'Ａ',
      'ﬁ',
      '¨',
      '´',
      '\u0085',
    );
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.oneof(fc.string({ unit: 'binary', maxLength: 1 }), interesting) }),
    );
    fc.assert(
      fc.property(text, (input) => {
        const once = sanitiseText(input).text;
        expect(sanitiseText(once).text).toBe(once);
        expect(DEFAULT_IGNORABLE.test(once)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives text of ASCII, Hangul syllables and LF alone the same result as the full passes', () => {
    const plain = fc.constantFrom('a', 'Z', '0', ' ', '\t', '.', '~', '\n', '가', '힣', '증', '언');
    fc.assert(
      fc.property(fc.array(plain, { maxLength: 60 }), (chars) => {
        const s = chars.join('');
        // A leading ZWSP sends the same text through every pass and is removed and counted.
        const full = sanitiseText('\u200B' + s);
        const quick = sanitiseText(s);
        expect(quick.text).toBe(full.text);
        expect(quick.report).toEqual({
          ...full.report,
          removed: { ...full.report.removed, zeroWidth: 0 },
          lengthBefore: full.report.lengthBefore - 1,
        });
      }),
      { numRuns: 2000 },
    );
  });
});
