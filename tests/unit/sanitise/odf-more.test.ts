// ODG (Draw, made by LibreOffice) and ODF formula (see below) files, with author, dates, a custom
// property and a printer planted in meta.xml and settings.xml: cleaned by the ODF cleaner.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { detectFormat, sanitiseFile } from '../../../worker/sanitise';
import { jpegWithExif, PLANTED as OFFICE_PLANTED } from '../../fixtures/make-office';
import { dumpTags, recoverable, sanitiseTestDirs } from '../../fixtures/make-sanitise-context';

const dirs = sanitiseTestDirs();
const PLANTED = ['PLANT-ODF-AUTHOR', 'PLANT-ODF-CUSTOM', 'PLANT-ODF-PRINTER', '2024-03-01T09:00'];

function soffice(input: string, to: string, filter?: string): Buffer {
  const home = join(dirs.fixtures, 'lo-home');
  mkdirSync(home, { recursive: true });
  execFileSync(
    'soffice',
    [
      ...['--headless', '--norestore', ...(filter ? [`--infilter=${filter}`] : [])],
      ...['--convert-to', to, '--outdir', dirs.fixtures, input],
    ],
    { env: { ...process.env, HOME: home }, stdio: 'ignore', timeout: 120_000 },
  );
  return readFileSync(input.replace(/\.[a-z]+$/, `.${to}`));
}

function plant(doc: Buffer): Buffer {
  const parts = unzipSync(doc);
  const meta = Buffer.from(parts['meta.xml']!).toString('utf8');
  parts['meta.xml'] = strToU8(
    meta.replace(
      '</office:meta>',
      '<dc:creator>PLANT-ODF-AUTHOR</dc:creator><meta:creation-date>2024-03-01T09:00:00</meta:creation-date>' +
        '<meta:user-defined meta:name="Case">PLANT-ODF-CUSTOM</meta:user-defined></office:meta>',
    ),
  );
  parts['settings.xml'] = strToU8(
    Buffer.from(parts['settings.xml'] ?? strToU8('<x/>'))
      .toString('utf8')
      .replace('</office:settings>', '<!-- PLANT-ODF-PRINTER --></office:settings>'),
  );
  const files: Zippable = {};
  files['mimetype'] = [parts['mimetype']!, { level: 0 }];
  for (const [name, bytes] of Object.entries(parts)) if (name !== 'mimetype') files[name] = bytes;
  return Buffer.from(zipSync(files));
}

test('ODG (with an embedded photo) comes out clean', async () => {
  const photo = join(dirs.fixtures, 'drawing.jpg');
  writeFileSync(photo, await jpegWithExif());
  const input = plant(soffice(photo, 'odg'));
  expect(detectFormat(input)).toBe('odg');
  const result = await sanitiseFile(input, { name: 'a.odg', type: '' }, dirs.ctx);
  if (result.status !== 'clean') throw new Error(JSON.stringify(result));
  const parts = unzipSync(result.data);
  const views = Object.values(parts).map((b) => Buffer.from(b).toString('latin1'));
  for (const [name, bytes] of Object.entries(parts))
    if (name.startsWith('Pictures/'))
      views.push((await dumpTags(Buffer.from(bytes), 'jpg', dirs.ctx)).text);
  expect(
    recoverable(result.data, [...PLANTED, ...Object.values(OFFICE_PLANTED)], ...views),
  ).toEqual([]);
  expect(Object.keys(parts).some((n) => n.startsWith('Pictures/'))).toBe(true);
  expect(result.report.removed).toEqual(
    expect.arrayContaining(['document properties (author, dates, generator, statistics)']),
  );
}, 120_000);

// LibreOffice here cannot load MathML from the command line ("source file could not be
// loaded", with libreoffice-math installed), so the formula package is built by hand as Math
// writes it: mimetype stored first, manifest, MathML content, meta and settings.
function formulaPackage(): Buffer {
  const ns = 'urn:oasis:names:tc:opendocument:xmlns';
  const files: Zippable = {
    mimetype: [strToU8('application/vnd.oasis.opendocument.formula'), { level: 0 }],
    'META-INF/manifest.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="${ns}:manifest:1.0" manifest:version="1.2">` +
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.formula"/>' +
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>' +
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>' +
        '<manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml"/>' +
        '</manifest:manifest>',
    ),
    'content.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' +
        '<semantics><mrow><mi>wage</mi><mo>=</mo><mn>120</mn></mrow>' +
        '<annotation encoding="StarMath 5.0">wage = 120</annotation></semantics></math>',
    ),
    'meta.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office="${ns}:office:1.0" ` +
        `xmlns:meta="${ns}:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2">` +
        '<office:meta><meta:generator>LibreOffice/7.4</meta:generator></office:meta></office:document-meta>',
    ),
    'settings.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><office:document-settings xmlns:office="${ns}:office:1.0">` +
        '<office:settings></office:settings></office:document-settings>',
    ),
  };
  return Buffer.from(zipSync(files));
}

test('ODF formula keeps its formula and loses its metadata', async () => {
  const input = plant(formulaPackage());
  expect(detectFormat(input)).toBe('odf');
  const result = await sanitiseFile(input, { name: 'a.odf', type: '' }, dirs.ctx);
  if (result.status !== 'clean') throw new Error(JSON.stringify(result));
  const parts = unzipSync(result.data);
  const views = Object.values(parts).map((b) => Buffer.from(b).toString('latin1'));
  expect(recoverable(result.data, PLANTED, ...views)).toEqual([]);
  expect(Buffer.from(parts['content.xml']!).toString('utf8')).toContain('wage');
});
