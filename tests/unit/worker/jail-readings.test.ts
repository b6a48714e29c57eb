// The worker believes a jail's readings (jail-readings.ts) only within bounds: a rendition
// larger than the output limit, page or DPI counts past the limits, bytes that are not a PDF,
// or OCR text past its cap make the jail "broken" (killed, SANDBOX_BAD_ANSWER); a good reading
// comes back with its notes added to the file's report, and the step gets its own deadline.
import { JailFailed, type Jail } from '../../../worker/jail/jail';
import {
  MAX_OCR_CHARS,
  receiveReadings,
  RENDITION_DEADLINE_MS,
} from '../../../worker/jail/jail-readings';
import { MAX_RENDITION_PAGES } from '../../../worker/sanitise/limits';
import type { FileSanitiseReport } from '../../../worker/sanitise/types';

function fakeJail(messages: Array<Record<string, unknown>>) {
  const armed: number[] = [];
  let killed = false;
  const jail = {
    arm: (ms: number) => armed.push(ms),
    control: async () => messages.shift() ?? { op: 'nothing' },
    broken: () => {
      killed = true;
      return new JailFailed('SANDBOX_BAD_ANSWER');
    },
  } as unknown as Jail;
  return { jail, armed, killed: () => killed };
}

const PDF = Buffer.from('%PDF-1.7\n% rendition bytes\n');
const reading = (extra: Record<string, unknown>) => ({ op: 'reading', notes: ['n'], ...extra });
const rendition = (extra: Record<string, unknown> = {}) => ({
  size: PDF.length,
  pages: 2,
  dpi: 150,
  truncated: false,
  ...extra,
});

async function run(messages: Array<Record<string, unknown>>, bytes = PDF, max = 1024) {
  const fake = fakeJail(messages);
  const report: FileSanitiseReport = { format: 'pdf', removed: [], kept: [] };
  const result = await receiveReadings(fake.jail, max, report, async () => Buffer.from(bytes));
  return { result, report, ...fake };
}

test('a good reading: the rendition and OCR text, notes in the report, the step its own deadline', async () => {
  const ocr = { text: 'Паспорт забрали.', confidence: 0, source: 'rendition' };
  const { result, report, armed } = await run([reading({ ocr, rendition: rendition() })]);
  expect(result.rendition).toEqual({ data: PDF, pages: 2, dpi: 150, truncated: false });
  expect(result.ocr).toEqual(ocr);
  expect(report.notes).toEqual(['n']);
  expect(armed).toEqual([RENDITION_DEADLINE_MS]);
});

test('a photo reading without a rendition ends with done', async () => {
  const ocr = { text: '여권을 빼앗겼어요.', confidence: 0.9, source: 'photo' };
  const { result } = await run([reading({ ocr }), { op: 'done' }]);
  expect(result).toEqual({ ocr });
});

test.each([
  ['past the output limit', [reading({ rendition: rendition({ size: 4096 }) })], PDF],
  ['too many pages', [reading({ rendition: rendition({ pages: MAX_RENDITION_PAGES + 1 }) })], PDF],
  ['past 150 DPI', [reading({ rendition: rendition({ dpi: 300 }) })], PDF],
  [
    'bytes that are not a PDF',
    [reading({ rendition: rendition() })],
    Buffer.from('<html>x</html>\n\n\n\n\n\n\n\n\n\n\n\n\n'),
  ],
  [
    'OCR text past its cap',
    [reading({ ocr: { text: 'x'.repeat(MAX_OCR_CHARS + 1), confidence: 0, source: 'photo' } })],
    PDF,
  ],
  ['an unknown field', [reading({ script: 'x' })], PDF],
  ['no done after a photo reading', [reading({}), { op: 'more' }], PDF],
])('a reading with %s breaks the jail', async (_what, messages, bytes) => {
  const fake = fakeJail(messages);
  const report: FileSanitiseReport = { format: 'pdf', removed: [], kept: [] };
  await expect(
    receiveReadings(fake.jail, 1024, report, async () => Buffer.from(bytes)),
  ).rejects.toMatchObject({ code: 'SANDBOX_BAD_ANSWER' });
  expect(fake.killed()).toBe(true);
});
