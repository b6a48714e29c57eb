// EPUB made by LibreOffice from a planted ODT (its author and dates become the package's
// metadata), then given what hand-made EPUBs carry: a signed stylesheet, a script, a font.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { detectFormat, sanitiseFile } from '../../../worker/sanitise';
import { buildOdt, CONTENT, jpegWithExif, PLANTED as OFFICE } from '../../fixtures/make-office';
import { dumpTags, recoverable, sanitiseTestDirs } from '../../fixtures/make-sanitise-context';

const dirs = sanitiseTestDirs();

async function makeEpub(): Promise<Buffer> {
  const odt = join(dirs.fixtures, 'book.odt');
  writeFileSync(odt, await buildOdt());
  const home = join(dirs.fixtures, 'lo-home');
  mkdirSync(home, { recursive: true });
  execFileSync(
    'soffice',
    ['--headless', '--norestore', '--convert-to', 'epub', '--outdir', dirs.fixtures, odt],
    {
      env: { ...process.env, HOME: home },
      stdio: 'ignore',
      timeout: 120_000,
    },
  );
  const parts = unzipSync(readFileSync(join(dirs.fixtures, 'book.epub')));
  const files: Zippable = { mimetype: [parts['mimetype']!, { level: 0 }] };
  for (const [name, bytes] of Object.entries(parts)) {
    if (name === 'mimetype') continue;
    let text = Buffer.from(bytes).toString('utf8');
    if (/\.opf$/.test(name))
      text = text.replace(
        '</metadata>',
        '<dc:creator>PLANT-EPUB-CREATOR</dc:creator><dc:publisher>PLANT-EPUB-PUBLISHER</dc:publisher></metadata>',
      );
    if (/\.x?html$/.test(name))
      text = text.replace(
        '</body>',
        '<script>var who="PLANT-EPUB-SCRIPT"</script><!-- PLANT-EPUB-COMMENT --></body>',
      );
    files[name] = /\.(x?html|opf|ncx|xml|css)$/.test(name) ? strToU8(text) : bytes;
  }
  files['OEBPS/styles/extra.css'] = strToU8(
    '/* styled by PLANT-EPUB-CSS-AUTHOR */ p { margin: 0 }',
  );
  files['OEBPS/fonts/f.otf'] = strToU8('OTTO PLANT-EPUB-FONT-DESIGNER');
  files['OEBPS/images/photo.jpg'] = await jpegWithExif();
  return Buffer.from(zipSync(files));
}

test('EPUB: text and pictures kept; metadata, scripts, comments, fonts gone', async () => {
  const input = await makeEpub();
  expect(detectFormat(input)).toBe('epub');
  const planted = [
    ...['CREATOR', 'PUBLISHER', 'SCRIPT', 'COMMENT', 'CSS-AUTHOR', 'FONT-DESIGNER'].map(
      (p) => `PLANT-EPUB-${p}`,
    ),
    OFFICE.author,
    OFFICE.exifArtist,
    OFFICE.exifSerial,
  ];
  const before = Object.values(unzipSync(input))
    .map((b) => Buffer.from(b).toString('utf8'))
    .join('\n');
  expect(before).toContain(OFFICE.author); // LibreOffice carried the ODT's author into the EPUB
  const result = await sanitiseFile(input, { name: 'a.epub', type: '' }, dirs.ctx);
  if (result.status !== 'clean') throw new Error(JSON.stringify(result));
  const parts = unzipSync(result.data);
  const views = Object.values(parts).map((b) => Buffer.from(b).toString('utf8'));
  views.push((await dumpTags(Buffer.from(parts['OEBPS/images/photo.jpg']!), 'jpg', dirs.ctx)).text);
  expect(recoverable(result.data, planted, ...views)).toEqual([]);
  expect(views.join('\n')).toContain(CONTENT.body);
  expect(result.report.removed).toEqual(
    expect.arrayContaining([
      'package metadata (creator, dates, publisher, identifiers)',
      expect.stringMatching(/^scripts/),
    ]),
  );
}, 120_000);
