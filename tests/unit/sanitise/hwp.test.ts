// HWP 5.0 and HWPX: body text and pictures out, cleaned, rebuilt as an ODT; nothing of the
// summary, DocInfo, preview, scripts, links or package metadata survives.
import { unzipSync } from 'fflate';
import * as CFB from 'cfb';
import { detectFormat, sanitiseFile } from '../../../worker/sanitise';
import { buildHwp, buildHwpx, HWP_BODY, HWP_PLANTED } from '../../fixtures/make-hwp';
import { dumpTags, recoverable, sanitiseTestDirs } from '../../fixtures/make-sanitise-context';

const dirs = sanitiseTestDirs();

test('the HWP fixture is a compound file holding what it claims', async () => {
  const hwp = await buildHwp();
  const names = CFB.read(hwp, { type: 'buffer' }).FullPaths.join('\n');
  expect(names).toContain('\u0005HwpSummaryInformation');
  expect(names).toContain('BodyText/Section0');
  expect(detectFormat(hwp)).toBe('hwp');
  expect(detectFormat(await buildHwpx())).toBe('hwpx');
});

test.each([
  ['hwp', buildHwp],
  ['hwpx', buildHwpx],
] as const)('%s: body text and the picture, clean, in an ODT', async (ext, build) => {
  const result = await sanitiseFile(await build(), { name: `a.${ext}`, type: '' }, dirs.ctx);
  if (result.status !== 'clean') throw new Error(JSON.stringify(result));
  expect(result).toMatchObject({ extension: 'odt', report: { format: ext } });
  const parts = unzipSync(result.data);
  const content = Buffer.from(parts['content.xml']!).toString('utf8');
  for (const p of HWP_BODY) expect(content).toContain(p);
  const pictures = Object.keys(parts).filter((n) => n.startsWith('Pictures/'));
  expect(pictures).toHaveLength(1);
  const views = Object.values(parts).map((b) => Buffer.from(b).toString('latin1'));
  views.push((await dumpTags(Buffer.from(parts[pictures[0]!]!), 'jpg', dirs.ctx)).text);
  views.push((await dumpTags(result.data, 'odt', dirs.ctx)).text);
  expect(recoverable(result.data, HWP_PLANTED, ...views)).toEqual([]);
  expect(result.report.removed.length).toBeGreaterThan(0);
  expect(result.report.kept.join(' ')).toContain('embedded pictures');
});

test('a password-protected HWP is held back', async () => {
  const cfb = CFB.read(await buildHwp(), { type: 'buffer' });
  const header = Buffer.from(CFB.find(cfb, 'FileHeader')!.content as Uint8Array);
  header.writeUInt32LE(0x3, 36);
  CFB.utils.cfb_add(cfb, '/FileHeader', header);
  const locked = Buffer.from(CFB.write(cfb, { type: 'buffer' }) as Uint8Array);
  const result = await sanitiseFile(locked, { name: 'a.hwp', type: '' }, dirs.ctx);
  expect(result).toMatchObject({ status: 'unsanitised', reason: 'ENCRYPTED' });
});
