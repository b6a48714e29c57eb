// Real documents sometimes carry a 0-byte XML part (an editor that crashed mid-save, a tool that
// writes placeholders). It holds nothing, so it is treated as absent, not as a parse failure
// that held back the whole document.
import { unzipSync, zipSync } from 'fflate';
import { sanitiseFile } from '../../../worker/sanitise';
import { buildDocx, buildOdt, CONTENT } from '../../fixtures/make-office';
import { sanitiseTestDirs } from '../../fixtures/make-sanitise-context';

const dirs = sanitiseTestDirs();

function withEmpty(doc: Buffer, names: string[]): Buffer {
  const parts = unzipSync(doc);
  for (const name of names) parts[name] = new Uint8Array(0);
  return Buffer.from(zipSync(parts));
}

test.each([
  ['docx', buildDocx, ['word/settings.xml', 'customXml/item1.xml', 'word/_rels/empty.xml.rels']],
  ['odt', buildOdt, ['styles.xml', 'settings.xml']],
] as const)(
  '%s with 0-byte XML parts is cleaned, the empty parts absent',
  async (ext, build, empty) => {
    const input = withEmpty(await build(), [...empty]);
    const result = await sanitiseFile(input, { name: `a.${ext}`, type: '' }, dirs.ctx);
    if (result.status !== 'clean') throw new Error(JSON.stringify(result));
    const parts = unzipSync(result.data);
    for (const name of empty) expect(parts[name]).toBeUndefined();
    const body = Object.values(parts)
      .map((b) => Buffer.from(b).toString('utf8'))
      .join('\n');
    expect(body).toContain(CONTENT.body);
  },
);
