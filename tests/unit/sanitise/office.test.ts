import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { sanitiseFile } from '../../../worker/sanitise';
import type { SanitiseResult } from '../../../worker/sanitise/types';
import { dumpTags, sanitiseTestDirs, recoverable } from '../../fixtures/make-sanitise-context';
import { buildDocx, buildOdt, CONTENT, PLANTED } from '../../fixtures/make-office';

const planted = [...Object.values(PLANTED), 'contract.jpg', 'PlantedMake', 'kimjs'];
const dirs = sanitiseTestDirs();
const cleaned: Record<string, Buffer> = {};

function mustBeClean(r: SanitiseResult): Extract<SanitiseResult, { status: 'clean' }> {
  if (r.status !== 'clean') throw new Error(`not clean: ${r.reason} ${JSON.stringify(r.report)}`);
  return r;
}

/** Planted values found anywhere: raw bytes, every inflated part, exiftool on the whole and on each image. */
async function leftovers(data: Buffer, ext: string): Promise<string[]> {
  const parts = unzipSync(data);
  const views = Object.values(parts).map((b) => Buffer.from(b).toString('latin1'));
  views.push((await dumpTags(data, ext, dirs.ctx)).text);
  for (const [name, bytes] of Object.entries(parts)) {
    if (/\.(jpe?g|png)$/.test(name))
      views.push((await dumpTags(Buffer.from(bytes), 'jpg', dirs.ctx)).text);
  }
  return recoverable(data, planted, ...views, Object.keys(parts).join('\n'));
}

test('DOCX: properties, comments, tracked changes, rsids, template path, alt text and image EXIF all gone', async () => {
  const input = await buildDocx();
  // The check itself finds every value planted in a DOCX (the printer is an ODT plant).
  expect(await leftovers(input, 'docx')).toEqual(planted.filter((p) => p !== PLANTED.printer));
  const result = mustBeClean(await sanitiseFile(input, { name: 'x.docx', type: '' }, dirs.ctx));
  expect(result.extension).toBe('docx');
  expect(await leftovers(result.data, 'docx')).toEqual([]);
  const parts = unzipSync(result.data);
  expect(Object.keys(parts)).toEqual([
    '[Content_Types].xml',
    '_rels/.rels',
    'word/_rels/document.xml.rels',
    'word/_rels/settings.xml.rels',
    'word/document.xml',
    'word/media/image1.jpeg',
    'word/settings.xml',
  ]);
  const body = Buffer.from(parts['word/document.xml']!).toString();
  expect(body).toContain(CONTENT.body);
  expect(body).toContain(CONTENT.inserted); // the insertion is accepted, not dropped
  expect(body).not.toMatch(/w:(ins|del|commentReference|rPrChange)\b/);
  expect(result.report.removed).toEqual(
    expect.arrayContaining([
      'document properties (author, dates, company, template)',
      'comments',
      'tracked deletions accepted',
      'tracked insertions accepted',
      'custom XML data',
      'thumbnail',
      'links to external files',
    ]),
  );
  expect(result.report.removed.join()).toMatch(/revision session ids.*alt text/);
  // Deterministic: the same input gives the same bytes (no clock, no random ordering).
  const again = mustBeClean(await sanitiseFile(input, { name: 'x.docx', type: '' }, dirs.ctx));
  expect(again.data.equals(result.data)).toBe(true);
  cleaned['clean-word.docx'] = result.data;
});

test('ODT: meta, settings, thumbnail, annotations, tracked changes, rsids and alt text gone', async () => {
  const input = await buildOdt();
  expect((await leftovers(input, 'odt')).length).toBeGreaterThan(10);
  const result = mustBeClean(await sanitiseFile(input, { name: 'x.odt', type: '' }, dirs.ctx));
  expect(await leftovers(result.data, 'odt')).toEqual([]);
  // mimetype is the first entry, stored uncompressed, as ODF requires.
  expect(result.data.subarray(30, 38).toString()).toBe('mimetype');
  expect(result.data.readUInt16LE(8)).toBe(0);
  const parts = unzipSync(result.data);
  expect(Object.keys(parts).sort()).toEqual(
    [
      'META-INF/manifest.xml',
      'Pictures/image1.jpg',
      'content.xml',
      'meta.xml',
      'mimetype',
      'styles.xml',
    ].sort(),
  );
  const content = Buffer.from(parts['content.xml']!).toString();
  expect(content).toContain(CONTENT.body);
  expect(content).toContain(CONTENT.inserted);
  expect(result.report.removed).toEqual(
    expect.arrayContaining([
      'comments',
      'thumbnail',
      'tracked changes accepted (2)',
      'alt text (2)',
    ]),
  );
  cleaned['clean-odf.odt'] = result.data;
});

test('LibreOffice opens the cleaned documents: PDF export succeeds and the text is intact', () => {
  const profile = `file://${join(dirs.fixtures, 'lo-profile')}`;
  const paths = Object.entries(cleaned).map(([name, data]) => {
    writeFileSync(join(dirs.fixtures, name), data);
    return join(dirs.fixtures, name);
  });
  expect(paths).toHaveLength(2);
  for (const target of ['pdf', 'txt:Text']) {
    execFileSync(
      'soffice',
      [
        `-env:UserInstallation=${profile}`,
        '--headless',
        '--convert-to',
        target,
        '--outdir',
        dirs.fixtures,
        ...paths,
      ],
      { stdio: 'ignore', timeout: 25_000 },
    );
  }
  for (const base of ['clean-word', 'clean-odf']) {
    expect(
      readFileSync(join(dirs.fixtures, `${base}.pdf`))
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const text = readFileSync(join(dirs.fixtures, `${base}.txt`), 'utf8');
    expect(text).toContain(CONTENT.body);
    expect(text).toContain(CONTENT.inserted);
    expect(recoverable(Buffer.from(text), planted)).toEqual([]);
  }
}, 30_000);

function withPart(docx: Buffer, name: string, bytes: Uint8Array): Buffer {
  const parts: Zippable = unzipSync(docx);
  parts[name] = bytes;
  return Buffer.from(zipSync(parts));
}

test('an embedded file that cannot be cleaned holds the whole document back', async () => {
  const emf = withPart(
    await buildDocx(),
    'word/media/image2.emf',
    new Uint8Array([1, 0, 0, 0, 9, 9]),
  );
  const result = await sanitiseFile(emf, { name: 'x.docx', type: '' }, dirs.ctx);
  expect(result).toMatchObject({ status: 'unsanitised', reason: 'EMBEDDED_MEDIA_UNSANITISED' });
  expect(result.report.notes).toEqual(['embedded .emf file cannot be cleaned']);
});

test('malformed or hostile XML makes the document unsanitised, never a throw', async () => {
  const doctype = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><w:document/>';
  for (const bytes of [strToU8(doctype), strToU8('<w:document><unclosed>')]) {
    const bad = withPart(await buildDocx(), 'word/document.xml', bytes);
    const result = await sanitiseFile(bad, { name: 'x.docx', type: '' }, dirs.ctx);
    expect(result).toMatchObject({ status: 'unsanitised', reason: 'TOOL_FAILED' });
  }
  expect(existsSync(dirs.ctx.tmpDir)).toBe(true);
});
