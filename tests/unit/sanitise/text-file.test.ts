import { sanitiseFile } from '../../../worker/sanitise';
import { sanitiseTestDirs } from '../../fixtures/make-sanitise-context';

const dirs = sanitiseTestDirs();

test('a note with planted invisible marks comes back clean, as UTF-8, with counts', async () => {
  const note = '\uFEFF여권을\u200B 빼앗겼어요.\u202E\r\nPassport\u{E0041} taken. \n';
  const result = await sanitiseFile(
    Buffer.from(note),
    { name: 'note.TXT', type: 'text/plain' },
    dirs.ctx,
  );
  if (result.status !== 'clean') throw new Error(result.reason);
  expect(result.data.toString('utf8')).toBe('여권을 빼앗겼어요.\nPassport taken.\n');
  expect(result).toMatchObject({ extension: 'txt', mime: 'text/plain; charset=utf-8' });
  expect(result.report.removed).toEqual([
    'zero-width characters (1)',
    'bidirectional controls (1)',
    'Unicode tag characters (1)',
    'byte order mark',
  ]);
  expect(result.report.notes).toContain('newlines normalised: 1');
});

test('CSV and Markdown keep their kind; an unknown declared extension becomes .txt', async () => {
  const csv = await sanitiseFile(
    Buffer.from('a,b\n1,2\n'),
    { name: 'pay.csv', type: '' },
    dirs.ctx,
  );
  expect(csv).toMatchObject({ status: 'clean', extension: 'csv', mime: 'text/csv; charset=utf-8' });
  const md = await sanitiseFile(
    Buffer.from('# Site\n'),
    { name: 'x.markdown', type: '' },
    dirs.ctx,
  );
  expect(md).toMatchObject({ status: 'clean', extension: 'md' });
  const exe = await sanitiseFile(Buffer.from('hello\n'), { name: 'x.exe', type: '' }, dirs.ctx);
  expect(exe).toMatchObject({ status: 'clean', extension: 'txt' });
});

test('invalid UTF-8 is never repaired silently', async () => {
  const { TextFileSanitiser } = await import('../../../worker/sanitise/text-file.sanitiser');
  const result = await new TextFileSanitiser().sanitise(Buffer.from([0x61, 0xc3, 0x28]), dirs.ctx);
  expect(result).toMatchObject({ status: 'unsanitised', reason: 'NOT_UTF8' });
});

test('markup and rich text are not plain text: unsanitised, not passed through', async () => {
  // HTML is cleaned as HTML now (its visible text: svg-html.test.ts); XML and RTF are held back.
  for (const text of ['<?xml version="1.0"?><x/>', '{\\rtf1 {\\info{\\author K}}}']) {
    const result = await sanitiseFile(
      Buffer.from(text),
      { name: 'a.txt', type: 'text/plain' },
      dirs.ctx,
    );
    expect(result).toMatchObject({ status: 'unsanitised', reason: 'UNSUPPORTED_FORMAT' });
  }
});
