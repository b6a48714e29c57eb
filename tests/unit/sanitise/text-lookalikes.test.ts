// Files that decode as UTF-8 but are markup, images or code carry metadata of their own (an SVG's
// <metadata>, an HTML <meta name=author>, a netpbm # comment, a script's @author). Before this
// they went down the text path and came back "clean" with that metadata inside.
import sharp from 'sharp';
import { detectFormat, sanitiseFile } from '../../../worker/sanitise';
import { sanitiseTestDirs } from '../../fixtures/make-sanitise-context';

const dirs = sanitiseTestDirs();
const PLANT = 'PLANT-LOOKALIKE-AUTHOR';

const CASES: [string, string, string][] = [
  [
    'svg',
    'svg',
    `<svg xmlns="http://www.w3.org/2000/svg"><metadata>${PLANT}</metadata><rect width="4" height="4"/></svg>`,
  ],
  ['svg after a comment', 'svg', `<!-- ${PLANT} -->\n<svg xmlns="http://www.w3.org/2000/svg"/>`],
  [
    'html without doctype',
    'html',
    `<html><head><meta name="author" content="${PLANT}"></head><body>hi</body></html>`,
  ],
  ['html fragment', 'html', `<meta name="author" content="${PLANT}">\n<p>Passport taken</p>`],
  ['xml', 'xml', `<report><author>${PLANT}</author></report>`],
  ['netpbm P3 with a comment', 'netpbm', `P3\n# ${PLANT}\n2 1\n255\n255 0 0 0 0 255\n`],
  ['netpbm P2', 'netpbm', `P2 # ${PLANT}\n2 2 255\n0 64\n128 255\n`],
  ['css', 'code', `/* Author: ${PLANT} */\nbody { color: red; }\n`],
  ['js', 'code', `// @author ${PLANT}\nconst x = 1;\nfunction f() { return x; }\n`],
  ['js block comment', 'code', `/**\n * ${PLANT}\n */\nexport default {};\n`],
];

test.each(CASES)('%s is recognised, not taken for text', (_name, format, body) => {
  expect(detectFormat(Buffer.from(body))).toBe(format);
});

test.each(CASES)('%s never comes back clean with its metadata', async (_name, format, body) => {
  const result = await sanitiseFile(
    Buffer.from(body),
    { name: 'a.txt', type: 'text/plain' },
    dirs.ctx,
  );
  // Cleaned as what it is (an SVG rasterised, an HTML page's visible text), or held back.
  expect(result.report.format).not.toBe('text');
  if (result.status === 'clean') {
    expect(result.data.toString('latin1')).not.toContain(PLANT);
    expect(result.report.format).toBe(format);
  }
});

test('netpbm becomes a PNG with the same pixels and no comment', async () => {
  const result = await sanitiseFile(
    Buffer.from(CASES[5]![2]),
    { name: 'a.ppm', type: '' },
    dirs.ctx,
  );
  if (result.status !== 'clean') throw new Error(result.reason);
  expect(result).toMatchObject({ mime: 'image/png', extension: 'png' });
  expect(result.report.removed).toContain('netpbm comments');
  const { data, info } = await sharp(result.data).raw().toBuffer({ resolveWithObject: true });
  expect([info.width, info.height, info.channels]).toEqual([2, 1, 3]);
  expect([...data]).toEqual([255, 0, 0, 0, 0, 255]);
});

test('prose that mentions braces, slashes or angle brackets stays text', async () => {
  for (const body of [
    '우리는 3월에 왔다. 월급 <없음> {확인}\n',
    'He said: 2 < 3 and 5 > 4. See http://example.org/a/b // end\n',
    'P3 was the room number.\n',
  ]) {
    expect(detectFormat(Buffer.from(body))).toBe('text');
  }
});
