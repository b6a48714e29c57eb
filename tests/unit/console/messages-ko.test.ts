import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describeError, ConsoleError } from '../../../console/errors';
import { consoleLanguage, KO_ERRORS } from '../../../console/messages-ko';

// The console speaks Korean when asked (SORI_LANG=ko or a Korean locale): the same stable code
// ends each failure line, so scripts and the documentation still match it.

const ROOT = join(__dirname, '..', '..', '..');

describe('console messages in Korean', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('picks Korean from SORI_LANG or the locale, English otherwise', () => {
    expect(consoleLanguage({ SORI_LANG: 'ko' })).toBe('ko');
    expect(consoleLanguage({ LANG: 'ko_KR.UTF-8' })).toBe('ko');
    expect(consoleLanguage({ SORI_LANG: 'en', LANG: 'ko_KR.UTF-8' })).toBe('en');
    expect(consoleLanguage({ LANG: 'C.UTF-8' })).toBe('en');
    expect(consoleLanguage({})).toBe('en');
  });

  it('says a known failure in Korean with its code, and keeps English for others', () => {
    process.env.SORI_LANG = 'ko';
    const known = describeError(
      new ConsoleError('KEYFILE_BAD_PASSPHRASE', 'The passphrase does not open the key file x'),
    );
    expect(known.line).toBe(`sori: ${KO_ERRORS.KEYFILE_BAD_PASSPHRASE}. (KEYFILE_BAD_PASSPHRASE)`);
    const other = describeError(new ConsoleError('SOMETHING_NEW', 'A new failure'));
    expect(other.line).toBe('sori: A new failure. (SOMETHING_NEW)');
    process.env.SORI_LANG = 'en';
    expect(describeError(new ConsoleError('NOTE_EMPTY', 'The note is empty')).line).toBe(
      'sori: The note is empty. (NOTE_EMPTY)',
    );
  });

  it('answers a mistyped record id in Korean from the real command line', () => {
    const run = spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', 'console/main.ts', 'show', 'xyz'],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', SORI_LANG: 'ko', SORI_HOME: '/nonexistent-sori-home' },
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`sori: ${KO_ERRORS.BAD_RECORD_ID}. (BAD_RECORD_ID)\n`);
  });
});
