import fc from 'fast-check';
import { joinChunks, splitText } from '../../../worker/translate/split-text';

const length = (s: string): number => [...s].length;

describe('splitText', () => {
  const testimony =
    '저는 2019년에 러시아로 파견되었습니다. 여권을 빼앗겼어요! 정말요?\n\n' +
    '둘째 문단입니다. 我们被派到工地。护照被没收了。 Нас привезли. Паспорта забрали!';

  it('keeps short text in one chunk per line block', () => {
    const split = splitText(testimony, 2000);
    expect(split.chunks.map((c) => c.text)).toEqual([
      '저는 2019년에 러시아로 파견되었습니다. 여권을 빼앗겼어요! 정말요?',
      '둘째 문단입니다. 我们被派到工地。护照被没收了。 Нас привезли. Паспорта забрали!',
    ]);
    expect(split.chunks[0]!.separator).toBe('\n\n');
  });

  it('cuts on sentence boundaries (Korean, CJK and Cyrillic) under a small limit', () => {
    const texts = splitText(testimony, 30).chunks.map((c) => c.text);
    expect(texts).toEqual([
      '저는 2019년에 러시아로 파견되었습니다.',
      '여권을 빼앗겼어요! 정말요?',
      '둘째 문단입니다. 我们被派到工地。护照被没收了。',
      'Нас привезли.',
      'Паспорта забрали!',
    ]);
  });

  it('hard-splits an over-long sentence between words, then inside a word', () => {
    const texts = splitText('마지막 Averyveryveryverylongword 끝', 12).chunks.map((c) => c.text);
    expect(texts).toEqual(['마지막', 'Averyveryver', 'yverylongwor', 'd 끝']);
  });

  it('never exceeds the limit and joins back to the original', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('가', '다', '.', ' ', '\n', '。', 'a', '!', '𝔸', '\t', '"'),
        }),
        fc.integer({ min: 1, max: 40 }),
        (text, limit) => {
          const split = splitText(text, limit);
          for (const chunk of split.chunks) {
            expect(length(chunk.text)).toBeLessThanOrEqual(limit);
            expect(chunk.text.trim()).toBe(chunk.text);
            expect(chunk.text).not.toBe('');
          }
          expect(
            joinChunks(
              split,
              split.chunks.map((c) => c.text),
            ),
          ).toBe(text);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
