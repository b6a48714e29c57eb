// SVG is rasterised; HTML becomes its visible text. Neither keeps a planted value.
import sharp from 'sharp';
import { sanitiseFile } from '../../../worker/sanitise';
import { dumpTags, recoverable, sanitiseTestDirs } from '../../fixtures/make-sanitise-context';

const dirs = sanitiseTestDirs();

test('SVG: rendered to a PNG; metadata, title, comments and scripts gone', async () => {
  const svg =
    '<!-- PLANT-SVG-COMMENT --><svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">' +
    '<title>PLANT-SVG-TITLE</title><metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    '<rdf:Description about="PLANT-SVG-RDF"/></rdf:RDF></metadata>' +
    '<script>fetch("https://example.org/PLANT-SVG-SCRIPT")</script>' +
    '<image href="file:///etc/hostname" width="10" height="10"/>' +
    '<rect x="0" y="0" width="20" height="20" fill="#ff0000"/></svg>';
  const result = await sanitiseFile(Buffer.from(svg), { name: 'a.svg', type: '' }, dirs.ctx);
  if (result.status !== 'clean') throw new Error(JSON.stringify(result));
  expect(result).toMatchObject({ mime: 'image/png', extension: 'png' });
  const planted = ['PLANT-SVG-COMMENT', 'PLANT-SVG-TITLE', 'PLANT-SVG-RDF', 'PLANT-SVG-SCRIPT'];
  const { text } = await dumpTags(result.data, 'png', dirs.ctx);
  expect(recoverable(result.data, planted, text)).toEqual([]);
  const { data, info } = await sharp(result.data).raw().toBuffer({ resolveWithObject: true });
  expect([info.width, info.height]).toEqual([40, 20]);
  expect([...data.subarray(0, 3)]).toEqual([255, 0, 0]); // the red square is drawn
});

test('HTML: its visible text, clean; head, meta, scripts, comments gone', async () => {
  const html =
    '<html><head><meta name="author" content="PLANT-HTML-AUTHOR"><title>PLANT-HTML-TITLE</title>' +
    '<style>.x{}</style></head><body><!-- PLANT-HTML-COMMENT --><h1>Passports</h1>' +
    '<p>Our passports were\u200B taken on arrival.</p><script>var s="PLANT-HTML-SCRIPT"</script>' +
    '<p onclick="PLANT-HTML-HANDLER">월급을 못 받았다</p></body></html>';
  const result = await sanitiseFile(Buffer.from(html), { name: 'a.html', type: '' }, dirs.ctx);
  if (result.status !== 'clean') throw new Error(JSON.stringify(result));
  expect(result).toMatchObject({ mime: 'text/plain; charset=utf-8', extension: 'txt' });
  const out = result.data.toString('utf8');
  expect(out).toBe('Passports\n\nOur passports were taken on arrival.\n\n월급을 못 받았다\n');
  const planted = ['AUTHOR', 'TITLE', 'COMMENT', 'SCRIPT', 'HANDLER'].map((p) => `PLANT-HTML-${p}`);
  expect(recoverable(result.data, planted)).toEqual([]);
});
