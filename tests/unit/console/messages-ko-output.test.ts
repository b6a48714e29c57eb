import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Command } from 'commander';
import { KO_HELP } from '../../../console/help-ko';
import { KO_TEXT, say } from '../../../console/messages-ko';
import { buildProgram } from '../../../console/program';
import { threadLines } from '../../../console/render/thread';
import { emptyListText } from '../../../console/commands/list.command';
import { filesLines } from '../../../console/render/files';

// Beyond errors: what the console prints and its --help follow SORI_LANG=ko (or a Korean
// locale) through one catalogue looked up by the English sentence. English stays the default.

const ROOT = join(__dirname, '..', '..', '..');
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const HANGUL = /[\uac00-\ud7a3]/;

function descriptions(cmd: Command): string[] {
  return [
    cmd.description(),
    ...cmd.options.map((o) => o.description),
    ...cmd.registeredArguments.map((a) => a.description),
    ...cmd.commands.flatMap(descriptions),
  ].filter((d) => d !== '');
}

function sori(args: string[], lang: string) {
  return spawnSync(process.execPath, ['-r', '@swc-node/register', 'console/main.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', SORI_LANG: lang, SORI_HOME: '/nonexistent-sori-home' },
    encoding: 'utf8',
  });
}

describe('console output and help in Korean', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('fills the same values into the Korean sentence as into the English one', () => {
    const en = 'Granted {name} access to {n} record(s); {m} they could already read.';
    const values = { name: 'bob', n: 3, m: 1 };
    expect(say(en, values, 'en')).toBe(
      'Granted bob access to 3 record(s); 1 they could already read.',
    );
    expect(say(en, values, 'ko')).toBe(
      'bob 에게 기록 3건의 열람 권한을 주었습니다. 1건은 이미 읽을 수 있었습니다.',
    );
    expect(say('A sentence nobody translated {x}.', { x: 1 }, 'ko')).toBe(
      'A sentence nobody translated 1.',
    );
  });

  it('has, for every Korean sentence, exactly the placeholders of its English one', () => {
    for (const [en, ko] of Object.entries({ ...KO_TEXT, ...KO_HELP })) {
      expect({ en, ko: placeholders(ko) }).toEqual({ en, ko: placeholders(en) });
      expect({ en, hangul: HANGUL.test(ko) || /^[A-Z]+$/.test(ko) }).toEqual({ en, hangul: true });
    }
  });

  it('has a Korean sentence for every description in the command tree', () => {
    delete process.env.SORI_LANG;
    process.env.LANG = 'C.UTF-8';
    const english = descriptions(buildProgram());
    expect(english.length).toBeGreaterThan(80);
    expect(english.filter((d) => KO_HELP[d] === undefined)).toEqual([]);
    process.env.SORI_LANG = 'ko';
    const korean = descriptions(buildProgram());
    expect(korean.filter((d) => !HANGUL.test(d) && d !== 'admin 또는 reviewer')).toEqual([]);
  });

  it('prints --help in Korean from the real command line, and in English by default', () => {
    const ko = sori(['list', '--help'], 'ko');
    expect(ko.status).toBe(0);
    expect(ko.stdout).toContain('사용법: sori list');
    expect(ko.stdout).toContain('옵션:');
    expect(ko.stdout).toContain('공통 옵션:');
    expect(ko.stdout).toContain('읽을 수 있는 기록 목록, 최신순');
    expect(ko.stdout).toContain('명령 도움말 보기');
    const top = sori(['--help'], 'ko');
    expect(top.stdout).toContain('명령:');
    expect(top.stdout).toContain('한국어: SORI_LANG=ko');
    expect(sori(['submit', '--help'], 'ko').stdout).toContain('일괄 폴더, NAME 하나에 면담 하나:');
    const en = sori(['list', '--help'], 'en');
    expect(en.stdout).toContain('Usage: sori list');
    expect(en.stdout).toContain('list the records you can read, newest first');
    expect(en.stdout).not.toMatch(HANGUL);
  });

  it('says list explanations and show thread lines in Korean', () => {
    process.env.SORI_LANG = 'ko';
    expect(emptyListText({ pending: 2, failed: 0, notYours: 0 })).toContain(
      '제출 2건이 기록이 되기를 기다리고 있습니다',
    );
    const thread = threadLines(
      [
        { id: 'a'.repeat(8), caseId: 'c1', caseSeq: 1, receivedOn: '2026-12-01', entryKinds: {} },
        {
          id: 'b'.repeat(8),
          caseId: 'c1',
          caseSeq: 2,
          receivedOn: '2026-12-02',
          entryKinds: { reply: 2 },
        },
      ] as never,
      'a'.repeat(8),
    );
    expect(thread[0]).toBe('사건 c1 (이 제보자의 메시지 2개)');
    expect(thread[1]).toContain('증언');
    expect(thread[2]).toContain('후속 1, 답장 2개');
    const files = filesLines({
      files: [
        {
          status: 'unsanitised',
          fileId: null,
          name: 'a.xyz',
          reason: 'UNSUPPORTED_FORMAT',
          size: 10,
          sha256: '0'.repeat(64),
          report: null,
        },
      ],
      originals: null,
    });
    expect(files).toEqual([
      '1. a.xyz  10 B  정리 안 됨 (UNSUPPORTED_FORMAT)',
      '   원본은 보관하지 않음',
    ]);
    process.env.SORI_LANG = 'en';
    expect(emptyListText({ notYours: false })).toBe('No records.');
  });
});
