import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../../../console/program';
import { buildSubmission, fromBase64, initCrypto } from '../../../crypto';
import {
  bootstrapAdmin,
  cleanup,
  ok,
  soriUser,
  startStack,
  tempDir,
  waitFor,
  type Stack,
  type Run,
  type SoriUser,
} from './console-harness';

// Every command's --help, the one-line error contract, and the intermediary's submit modes.

jest.setTimeout(240_000);

function commandPaths(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands
    .filter((c) => c.name() !== 'help')
    .flatMap((c) => [[...prefix, c.name()], ...commandPaths(c, [...prefix, c.name()])]);
}

describe('sori console: help and errors without a server', () => {
  const user = soriUser(null, 'right passphrase');
  afterAll(() => cleanup([user.home]));

  it('prints --help for every command and subcommand', async () => {
    const paths = [[], ...commandPaths(buildProgram())];
    expect(paths.length).toBeGreaterThan(20);
    // Four at a time: two dozen node processes at once would starve the tests running beside.
    const runs: Run[] = [];
    for (let i = 0; i < paths.length; i += 4) {
      runs.push(
        ...(await Promise.all(paths.slice(i, i + 4).map((p) => user.run([...p, '--help'])))),
      );
    }
    runs.forEach((r, i) => {
      expect({ path: paths[i], code: r.code }).toEqual({ path: paths[i], code: 0 });
      expect(r.stdout).toContain(`Usage: sori ${paths[i]!.join(' ')}`.trimEnd());
    });
  });

  it('refuses a wrong passphrase in one sentence with its code', async () => {
    await ok(user, ['keygen']);
    const r = await user.run(['login'], { SORI_PASSPHRASE: 'wrong passphrase' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `sori: The passphrase does not open the key file ${join(user.home, 'key.json')}. (KEYFILE_BAD_PASSPHRASE)\n`,
    );
  });

  it('refuses to overwrite a key file, and reports an unreachable server and bad usage', async () => {
    expect((await user.run(['keygen'])).stderr).toMatch(
      /^sori: A key file already exists .*\(KEYFILE_EXISTS\)\n$/,
    );
    const down = await user.run(['--server', 'http://127.0.0.1:9', 'list']);
    expect(down.code).toBe(1);
    expect(down.stderr).toBe('sori: Cannot reach http://127.0.0.1:9. (NETWORK_ERROR)\n');
    const bad = await user.run(['show', 'abc']);
    expect(bad.stderr).toMatch(/first 8 or more characters.*\(BAD_RECORD_ID\)\n$/);
    const short = soriUser(null, 'too short');
    const weak = await short.run(['keygen']);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/at least 12 characters.*\(PASSPHRASE_TOO_SHORT\)\n$/);
    expect(existsSync(join(short.home, 'key.json'))).toBe(false);
    cleanup([short.home]);
    const usage = await user.run(['status', 'x']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^sori: Missing required argument 'status'. \(USAGE\)\n$/);
  });
});

describe('sori console: submit modes', () => {
  let stack: Stack;
  let admin: SoriUser;
  let intermediary: SoriUser;
  let work: string;

  beforeAll(async () => {
    await initCrypto();
    stack = await startStack();
    admin = soriUser(stack, 'admin passphrase');
    intermediary = soriUser(stack, 'unused');
    work = tempDir('sori-batch-');
    const keys = (await ok(admin, ['--json', 'keygen'])).json<{
      boxPublicKey: string;
      signPublicKey: string;
    }>();
    const boot = await bootstrapAdmin(
      stack.app.db.url,
      'root',
      keys.boxPublicKey,
      keys.signPublicKey,
    );
    expect({ code: boot.code, stderr: boot.stderr }).toEqual({ code: 0, stderr: '' });
  });

  afterAll(async () => {
    await stack?.close();
    cleanup([admin?.home, intermediary?.home, work].filter((d): d is string => Boolean(d)));
  });

  it('submits a folder of interviews, writing receipts 0600, and a rerun skips what was sent', async () => {
    writeFileSync(join(work, 'a-01.txt'), '여권을 빼앗겼어요.');
    writeFileSync(join(work, 'a-01.json'), JSON.stringify({ country: 'Russia' }));
    writeFileSync(join(work, 'b-02.txt'), 'Паспорт забрали.');
    writeFileSync(join(work, 'notes.md'), 'not an interview');
    const r = await ok(intermediary, ['--json', 'submit', '--batch', work]);
    expect(r.stderr).toContain('Receipts identify cases');
    const out = r.json<{
      receiptsFile: string;
      submitted: Array<{ interview: string; id: string }>;
    }>();
    expect(out.submitted.map((s) => s.interview)).toEqual(['a-01', 'b-02']);
    expect(statSync(out.receiptsFile).mode & 0o777).toBe(0o600);
    const lines = readFileSync(out.receiptsFile, 'utf8').trim().split('\n').slice(1);
    expect(lines.map((l) => l.split('\t')[0])).toEqual(['a-01', 'b-02']);
    for (const l of lines) expect(l.split('\t')[1]).toMatch(/^\d{4}(-\d{4}){4}$/);

    const again = (await ok(intermediary, ['--json', 'submit', '--batch', work])).json<{
      submitted: unknown[];
      skipped: number;
    }>();
    expect(again).toMatchObject({ submitted: [], skipped: 2 });

    await waitFor('both records', async () => {
      const { rows } = await stack.app.pool.query(`SELECT count(*)::int AS n FROM records`);
      return rows[0].n === 2;
    });
    const listed = (await ok(admin, ['--json', 'list'])).json<{
      records: Array<{ language: string }>;
    }>();
    expect(listed.records.map((x) => x.language).sort()).toEqual(['ko', 'ru']);
  });

  it('refuses an intake key whose fingerprint is not the pinned one', async () => {
    writeFileSync(join(work, 'one.txt'), 'x');
    const r = await intermediary.run([
      'submit',
      '--text',
      join(work, 'one.txt'),
      '--expect-fingerprint',
      '0000 0000',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\(INTAKE_KEY_UNEXPECTED\)\n$/);
  });

  it('says clearly when a source left no key to reply to', async () => {
    const key = (await (await fetch(`${stack.app.url}/v1/intake-key`)).json()) as {
      publicKey: string;
    };
    const { envelope } = buildSubmission({
      intakePublicKey: fromBase64(key.publicKey),
      manifest: { text: '월급을 받지 못했습니다.' },
    });
    const res = await fetch(`${stack.app.url}/v1/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(envelope),
    });
    expect(res.status).toBe(202);
    const rows = await waitFor('the record', async () => {
      const q = await stack.app.pool.query<{ id: string }>(
        `SELECT id FROM records WHERE submission_id = $1`,
        [envelope.id],
      );
      return q.rows.length ? q.rows : null;
    });
    const r = await admin.run(['reply', rows[0]!.id, 'hello']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/left no key to reply to .*\(SOURCE_KEY_MISSING\)\n$/);
  });
});
