import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initCrypto } from '../../../crypto';
import { buildDocx } from '../../fixtures/make-office';
import { PAPER_KO, paperPhoto } from '../../fixtures/make-paper-photo';
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

// Issue 15 through the console: a document and a photo of paper go in with `sori submit`;
// `sori show` lists the document's safe rendition and the photo's recognised text next to it,
// with its machine translation; `sori files get --rendition` writes the rendition (a PDF,
// SHA-256 checked against the record); `sori export` carries it next to the clean copy and
// `sori verify --export` holds it to the record like any attachment.

jest.setTimeout(300_000);

describe('sori console: safe renditions and photos of paper', () => {
  let stack: Stack;
  let admin: SoriUser;
  let source: SoriUser;
  let work: string;
  let recordId: string;

  beforeAll(async () => {
    await initCrypto();
    stack = await startStack();
    admin = soriUser(stack, 'admin passphrase');
    source = soriUser(stack, 'unused');
    work = tempDir('sori-rendition-');
    const root = (await ok(admin, ['--json', 'keygen', '--name', 'root'])).json<{
      boxPublicKey: string;
      signPublicKey: string;
    }>();
    const boot = await bootstrapAdmin(
      stack.app.db.url,
      'root',
      root.boxPublicKey,
      root.signPublicKey,
    );
    expect(boot.code).toBe(0);
  });

  afterAll(async () => {
    await stack?.close();
    cleanup(
      [admin, source]
        .filter(Boolean)
        .map((u) => u.home)
        .concat(work ? [work] : []),
    );
  });

  it('submits a document and a photo of paper; the record lists both readings', async () => {
    writeFileSync(join(work, 'text.txt'), '계약서와 사진입니다.\n');
    writeFileSync(join(work, 'contract.docx'), await buildDocx());
    writeFileSync(join(work, 'slip.jpg'), await paperPhoto(PAPER_KO, 'ko'));
    const out = (
      await ok(source, [
        '--json',
        'submit',
        '--text',
        join(work, 'text.txt'),
        '--attach',
        join(work, 'contract.docx'),
        '--attach',
        join(work, 'slip.jpg'),
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
    const shown = (await ok(admin, ['show', recordId, '--width', '160'])).stdout;
    expect(shown).toMatch(
      /1\. attachment-1\.docx .*\n(.*\n)*? +safe rendition: PDF of pixels \+ OCR text, 1 page, 150 DPI/,
    );
    expect(shown).toMatch(
      /text of the rendition \(OCR\), en:\n +We were sent to the construction site/,
    );
    expect(shown).toMatch(
      /2\. attachment-2\.jpg .*\n(.*\n)*? +text read from the image \(OCR\), ko:\n +.*여권을/,
    );
    expect(shown).toMatch(/machine translation \(ko→en\):\n +\S/);
  });

  it('sori files get --rendition writes the PDF, checked; a photo has none', async () => {
    const prefix = recordId.slice(0, 8);
    const out = join(work, 'rendition.pdf');
    const got = await ok(admin, ['files', 'get', prefix, '1', '--rendition', '--out', out]);
    expect(got.stdout).toContain(`Wrote attachment-1.docx (safe rendition) to ${out}`);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const none = await admin.run(['files', 'get', prefix, '2', '--rendition']);
    expect(none.stderr).toMatch(/\(RENDITION_NOT_FOUND\)/);
  });

  it('sori export carries the rendition next to the clean copy, and verify holds it to the record', async () => {
    const out = join(work, 'export');
    await ok(admin, ['export', recordId, '--out', out]);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      files: Array<{ path: string; file?: { status: string } }>;
    };
    expect(manifest.files.filter((f) => f.file).map((f) => [f.path, f.file?.status])).toEqual([
      [`${recordId}/files/01-attachment-1.docx`, 'clean'],
      [`${recordId}/files/01-attachment-1-rendition.pdf`, 'rendition'],
      [`${recordId}/files/02-attachment-2.jpg`, 'clean'],
    ]);
    expect((await ok(admin, ['verify', '--export', out])).stdout).toContain('match');
    const pdf = join(out, recordId, 'files', '01-attachment-1-rendition.pdf');
    writeFileSync(pdf, Buffer.concat([readFileSync(pdf), Buffer.from([0])]));
    const broken = await admin.run(['verify', '--export', out]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('(EXPORT_FILE_CHANGED)');
  });
});
