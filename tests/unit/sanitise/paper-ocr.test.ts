// Photos of paper: Korean and Russian sentences drawn with Debian's fonts into JPEGs (with a
// camera's EXIF) are read back by tesseract from the clean copy, in the words planted; a photo
// with no writing yields no text; and the rule that decides "real text" is held to its edges.
import { sanitiseFile } from '../../../worker/sanitise';
import { judgeText, MIN_WORD_CONFIDENCE } from '../../../worker/sanitise/ocr/real-text';
import { readCleanFile } from '../../../worker/sanitise/rendition/read-clean-file';
import {
  PAPER_KO,
  PAPER_PLANTED,
  PAPER_RU,
  paperPhoto,
  photoWithoutText,
} from '../../fixtures/make-paper-photo';
import { dumpTags, recoverable, sanitiseTestDirs } from '../../fixtures/make-sanitise-context';

jest.setTimeout(120_000);
const dirs = sanitiseTestDirs();

async function read(data: Buffer) {
  const result = await sanitiseFile(data, { name: 'IMG_0001.jpg', type: 'image/jpeg' }, dirs.ctx);
  if (result.status !== 'clean') throw new Error(`not clean: ${result.reason}`);
  const tags = await dumpTags(result.data, 'jpg', dirs.ctx);
  expect(recoverable(result.data, Object.values(PAPER_PLANTED), tags.text)).toEqual([]);
  return readCleanFile(data, result, dirs.ctx);
}

test.each([
  ['Korean', PAPER_KO, 'ko' as const, ['여권을', '빼앗겼어요']],
  ['Russian', PAPER_RU, 'ru' as const, ['Паспорт', 'забрали']],
])('a %s photo of paper is read in its planted words', async (_name, text, lang, words) => {
  const photo = await paperPhoto(text, lang);
  expect((await dumpTags(photo, 'jpg', dirs.ctx)).text).toContain(PAPER_PLANTED.serial);
  const { ocr, rendition, notes } = await read(photo);
  expect(rendition).toBeUndefined();
  expect(ocr?.source).toBe('photo');
  for (const w of words) expect(ocr?.text).toContain(w);
  expect(ocr!.confidence).toBeGreaterThan(MIN_WORD_CONFIDENCE / 100);
  expect(notes).toEqual(['text read from the image by OCR']);
});

test('a photo without writing yields no text, and says why', async () => {
  const { ocr, notes } = await read(await photoWithoutText());
  expect(ocr).toBeUndefined();
  expect(notes).toEqual(['OCR found no real text']);
});

describe('the real-text rule', () => {
  const w = (text: string, conf: number) => ({ text, conf });
  it('takes a short sure sentence, Hangul counted by syllables', () => {
    expect(judgeText([w('여권을', 91), w('빼앗겼어요.', 88)]).real).toBe(true); // 8 syllables
    expect(judgeText([w('They', 90), w('took', 90), w('passport', 90)]).real).toBe(true);
  });
  it('refuses unsure words, too few letters, and noise that outnumbers the read words', () => {
    expect(judgeText([w('They', 59), w('took', 40), w('passport', 20)]).real).toBe(false);
    expect(judgeText([w('Bus', 95), w('stop', 95)]).real).toBe(false); // 7 letters
    const noise = ['=', '|', 'ii', '~a', '3', '7r', 'll', 'Ea'].map((t) => w(t, 30));
    expect(judgeText([w('passport', 90), w('taken', 90), ...noise]).real).toBe(false);
    expect(judgeText([]).real).toBe(false);
  });
});
