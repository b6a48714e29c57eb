import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExifTool } from 'exiftool-vendored';
import { initCrypto } from '../../../crypto';
import { makeJpeg } from '../../fixtures/make-image';
import { testBytes } from '../uploads/tus-fixtures';
import {
  bootstrapAdmin,
  cleanup,
  ok,
  soriUser,
  startStack,
  tempDir,
  waitFor,
  type SoriUser,
  type Stack,
} from './console-harness';

// Attachments through the whole system: `sori submit --attach` → tus → worker (sanitise,
// re-encrypt under the record key, hold back what it cannot clean) → `sori show` lists the
// files → `sori export` writes the cleaned JPEG (no GPS left) → `sori verify --export`; an admin
// exports the held-back original, byte for byte, after a warning.

jest.setTimeout(240_000);

interface Keygen {
  boxPublicKey: string;
  signPublicKey: string;
}

describe('sori console: attachments end to end', () => {
  let stack: Stack;
  let admin: SoriUser;
  let alice: SoriUser;
  let intermediary: SoriUser;
  let work: string;
  let recordId: string;
  let photo: string;
  let mystery: string;
  const exiftool = new ExifTool({ maxProcs: 1 });

  beforeAll(async () => {
    await initCrypto();
    stack = await startStack();
    admin = soriUser(stack, 'admin passphrase');
    alice = soriUser(stack, 'alice passphrase');
    intermediary = soriUser(stack, 'unused');
    work = tempDir('sori-files-');
    const root = (await ok(admin, ['--json', 'keygen', '--name', 'root'])).json<Keygen>();
    const boot = await bootstrapAdmin(
      stack.app.db.url,
      'root',
      root.boxPublicKey,
      root.signPublicKey,
    );
    expect({ code: boot.code, stderr: boot.stderr }).toEqual({ code: 0, stderr: '' });
    const a = (await ok(alice, ['--json', 'keygen', '--name', 'alice'])).json<Keygen>();
    await ok(admin, [
      'admin',
      'enroll',
      '--name',
      'alice',
      `--box=${a.boxPublicKey}`,
      `--sign=${a.signPublicKey}`,
    ]);
  });

  afterAll(async () => {
    await exiftool.end();
    await stack?.close();
    cleanup(
      [admin, alice, intermediary]
        .filter(Boolean)
        .map((u) => u.home)
        .concat(work ? [work] : []),
    );
  });

  it('submits a photo with GPS and a file no sanitiser takes; the worker stores the record', async () => {
    writeFileSync(join(work, 'interview.txt'), '현장 사진입니다.\n');
    photo = (await makeJpeg(work)).path;
    mystery = join(work, 'mystery.bin');
    writeFileSync(mystery, testBytes(100_000));
    const out = (
      await ok(intermediary, [
        '--json',
        'submit',
        '--text',
        join(work, 'interview.txt'),
        '--attach',
        photo,
        '--attach',
        mystery,
      ])
    ).json<{ id: string }>();
    const rows = await waitFor('the record', async () => {
      const { rows } = await stack.app.pool.query<{ id: string }>(
        `SELECT id FROM records WHERE submission_id = $1`,
        [out.id],
      );
      return rows.length ? rows : null;
    });
    recordId = rows[0]!.id;
  });

  it('sori show lists the files: clean with what was removed, and the held-back one', async () => {
    const shown = (await ok(alice, ['show', recordId, '--width', '120'])).stdout;
    expect(shown).toMatch(
      /Files\n +1\. attachment-1\.jpg +image\/jpeg +[\d.]+ (B|KiB) +clean \(jpeg\)\n +removed: .*GPS/,
    );
    expect(shown).toMatch(
      /2\. attachment-2 +98 KiB +UNSANITISED \(UNSUPPORTED_FORMAT\)\n +original held back for admins/,
    );
  });

  it('sori files get decrypts one attachment by number or name; held back only for admins', async () => {
    const prefix = recordId.slice(0, 8);
    const listed = (await ok(alice, ['files', 'list', prefix])).stdout;
    expect(listed).toMatch(/^1\. attachment-1\.jpg .*clean \(jpeg\)$/m);
    const out = join(work, 'one.jpg');
    const got = await ok(alice, ['files', 'get', prefix, '1', '--out', out]);
    expect(got.stdout).toContain(`Wrote attachment-1.jpg to ${out}`);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const tags = (await exiftool.read(out)) as unknown as Record<string, unknown>;
    expect(Object.keys(tags).filter((k) => /^GPS/i.test(k))).toEqual([]);
    const again = await alice.run(['files', 'get', prefix, 'attachment-1.jpg', '--out', out]);
    expect(again.stderr).toMatch(/\(FILE_EXISTS\)\n$/);
    const held = await alice.run(['files', 'get', prefix, '2', '--out', join(work, 'h')]);
    expect(held.stderr).toMatch(/held back \(UNSUPPORTED_FORMAT\).*\(FILE_HELD_BACK\)\n$/);
    expect((await alice.run(['files', 'get', prefix, '3'])).stderr).toMatch(/\(FILE_NOT_FOUND\)/);
    const original = join(work, 'original.bin');
    const r = await ok(admin, ['files', 'get', prefix, '2', '--original', '--out', original]);
    expect(r.stderr).toContain('WARNING: originals are the files exactly as the source sent them');
    expect(readFileSync(original).equals(readFileSync(mystery))).toBe(true);
  });

  it('sori export writes the cleaned JPEG without GPS; verify checks it', async () => {
    const out = join(work, 'export');
    const r = (await ok(alice, ['--json', 'export', recordId, '--out', out])).json<{
      attachments: { clean: number; originals: number };
    }>();
    expect(r.attachments).toEqual({ clean: 1, originals: 0 });
    const file = join(out, recordId, 'files', '01-attachment-1.jpg');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const tags = (await exiftool.read(file)) as unknown as Record<string, unknown>;
    expect(Object.keys(tags).filter((k) => /^GPS/i.test(k))).toEqual([]);
    expect(tags.MIMEType).toBe('image/jpeg');
    expect(readFileSync(file).includes(Buffer.from('PLANT-SERIAL'))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      files: Array<{ path: string; file?: { status: string } }>;
    };
    expect(manifest.files.filter((f) => f.file).map((f) => [f.path, f.file?.status])).toEqual([
      [`${recordId}/files/01-attachment-1.jpg`, 'clean'],
    ]);
    expect((await ok(alice, ['verify', '--export', out])).stdout).toContain('match');

    writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from([0])]));
    const broken = await alice.run(['verify', '--export', out]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('(EXPORT_FILE_CHANGED)');
  });

  it('originals: refused to a reviewer, written for an admin after a warning, byte-identical', async () => {
    const refused = await alice.run([
      'export',
      recordId,
      '--include-originals',
      '--out',
      join(work, 'x'),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/\(ADMIN_REQUIRED\)\n$/);

    const out = join(work, 'export-admin');
    const r = await ok(admin, ['export', recordId, '--include-originals', '--out', out]);
    expect(r.stderr).toContain('WARNING: originals are the files exactly as the source sent them');
    const original = join(out, recordId, 'originals', '02-attachment-2');
    expect(readFileSync(original).equals(readFileSync(mystery))).toBe(true);
    await ok(admin, ['verify', '--export', out]);

    const { rows } = await stack.app.pool.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE action IN ('file.read', 'original.release') ORDER BY id`,
    );
    // sori files get (one clean file, one original), then the two exports.
    expect(rows.map((x) => x.action)).toEqual([
      'file.read',
      'original.release',
      'file.read',
      'file.read',
      'original.release',
    ]);
  });
});
