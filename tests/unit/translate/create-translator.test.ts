import { createTranslator, LibreTranslateTranslator } from '../../../worker/translate';

describe('createTranslator', () => {
  it("returns null for 'none': no engine pretends to translate", () => {
    expect(createTranslator({ engine: 'none' })).toBeNull();
  });

  it('builds a LibreTranslate client and validates its options', () => {
    const translator = createTranslator({
      engine: 'libretranslate',
      url: 'http://127.0.0.1:5000/',
    });
    expect(translator).toBeInstanceOf(LibreTranslateTranslator);
    expect(translator?.engine).toBe('libretranslate');
    expect(() =>
      createTranslator({ engine: 'libretranslate', url: 'http://x', charLimit: 0 }),
    ).toThrow(RangeError);
    expect(() => createTranslator({ engine: 'libretranslate', url: 'not a url' })).toThrow();
  });
});
