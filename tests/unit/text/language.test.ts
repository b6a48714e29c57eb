import { detectLanguage } from '../../../worker/text/language';

describe('detectLanguage', () => {
  it('recognises Korean by script, with the Hangul share as confidence', () => {
    const result = detectLanguage(
      '우리는 3월에 러시아 건설 현장으로 보내졌습니다. 여권은 바로 빼앗겼어요.',
    );
    expect(result).toEqual({ lang: 'ko', confidence: 1, method: 'script' });
  });

  it('recognises Russian through the Cyrillic-restricted detector', () => {
    const result = detectLanguage(
      'Нас привезли на стройку в Подмосковье в марте. Паспорта забрали сразу. ' +
        'Мы работали по шестнадцать часов в день, зарплату отправляли в посольство.',
    );
    expect(result.lang).toBe('ru');
    expect(result.method).toBe('detector');
    expect(result.confidence).toBeGreaterThan(0.5);
  });

  it('defaults short Cyrillic text to Russian', () => {
    expect(detectLanguage('Привет').lang).toBe('ru');
  });

  it('reports another Cyrillic language when the detector is sure of it', () => {
    expect(detectLanguage('Мені забрали паспорт і не платили зарплату вже три місяці.').lang).toBe(
      'uk',
    );
  });

  it('recognises English and Chinese through tinyld', () => {
    const en = detectLanguage(
      'We were sent to a construction site in Russia in March. Our passports were taken.',
    );
    expect(en).toMatchObject({ lang: 'en', method: 'detector' });
    expect(en.confidence).toBeGreaterThan(0);
    expect(detectLanguage('我们三月被派到俄罗斯的建筑工地。护照马上被没收了。')).toMatchObject({
      lang: 'zh',
    });
  });

  it('lets the majority script win in mixed text', () => {
    const ko = detectLanguage('저는 블라디보스토크 Vostok 현장에서 일했습니다');
    expect(ko.lang).toBe('ko');
    expect(ko.method).toBe('script');
    expect(ko.confidence).toBeGreaterThan(0.5);
    expect(ko.confidence).toBeLessThan(1);
    expect(detectLanguage('Я работал в 평양 и потом во Владивостоке').lang).toBe('ru');
  });

  it('returns und for empty, short or letterless text', () => {
    for (const text of ['', 'ok', '12345 !!!', '   \n']) {
      expect(detectLanguage(text)).toEqual({ lang: 'und', confidence: 0, method: 'none' });
    }
  });

  it('keeps confidence within 0..1', () => {
    for (const text of ['Bonjour, nous avons travaillé sans salaire.', 'ㄱㄴㄷ', 'Ааа ббб ввв']) {
      const { confidence } = detectLanguage(text);
      expect(confidence).toBeGreaterThanOrEqual(0);
      expect(confidence).toBeLessThanOrEqual(1);
    }
  });

  it('counts letters by code point: astral letters count, lone surrogates and marks do not', () => {
    // 3 Hangul letters, one astral letter (U+1D400), a lone surrogate, a combining mark, digits:
    // four letters in all, three of them Hangul.
    expect(detectLanguage('가나다\u{1D400}\uD800\u0301 123!')).toEqual({
      lang: 'ko',
      confidence: 0.75,
      method: 'script',
    });
    // Three astral letters keep Hangul at a quarter: no script verdict (the detector decides).
    expect(detectLanguage('가\u{1D400}\u{1D401}\u{1D402}').method).not.toBe('script');
    // Halfwidth Hangul (U+FFA1) and compatibility jamo are Hangul letters too.
    expect(detectLanguage('\uFFA1\uFFA2ㄱㄴ')).toEqual({
      lang: 'ko',
      confidence: 1,
      method: 'script',
    });
  });
});
