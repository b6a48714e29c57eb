import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { generateBoxKeyPair, generateSignKeyPair, toBase64 } from '../../../crypto';
import { UWAZI_COLUMNS } from '../../../console/desk/archives';
import { runSori, waitFor } from '../console/console-harness';
import { openSession } from './desk-http';
import { FOLLOW_UP, PASSPHRASE, startDeskWorld, TESTIMONY, type DeskWorld } from './desk-fixture';
import { parseCsv } from './csv';

// The desk's API against the real system: a testimony and its follow-up (same receipt) are one
// case; actions are encrypted entries the server accepts (an ILO indicator included); search
// finds a word that exists only in the machine translation; files come from memory; exports
// parse; the desk locks itself after its idle time and forgets what it decrypted.

jest.setTimeout(180_000);

interface CaseRow {
  caseId: string;
  recordIds: string[];
  unread: boolean;
  tags: string[];
  indicators: string[];
  attachments: number;
}

describe('sori desk: a reviewer works a case', () => {
  let world: DeskWorld;
  let s: Awaited<ReturnType<typeof openSession>>;
  let caseId: string;

  beforeAll(async () => {
    world = await startDeskWorld();
    s = await openSession((await world.startDesk()).openUrl);
    expect((await s.send('POST', '/api/unlock', { passphrase: PASSPHRASE })).status).toBe(200);
  });

  afterAll(async () => {
    await world?.close();
  });

  it('links the follow-up to its case in the database and shows one unread case', async () => {
    const { rows } = await world.stack.app.pool.query<{ case_id: string }>(
      'SELECT DISTINCT case_id FROM records',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.case_id).toBe(world.records[0]);
    const { cases } = (await s.send('GET', '/api/cases')).json<{ cases: CaseRow[] }>();
    expect(cases).toHaveLength(1);
    caseId = cases[0]!.caseId;
    expect(cases[0]).toMatchObject({
      caseId: world.records[0],
      recordIds: world.records,
      unread: true,
      attachments: 3,
    });
  });

  it('shows the thread in sori show too', async () => {
    const env = {
      SORI_HOME: world.home,
      SORI_PASSPHRASE: PASSPHRASE,
      SORI_SERVER: world.stack.reviewUrl,
    };
    const shown = await runSori(['show', world.records[1]!, '--width', '100'], env);
    expect(shown.stderr).toBe('');
    expect(shown.stdout).toContain(`Case ${world.records[0]} (2 messages from this source)`);
    expect(shown.stdout).toMatch(
      new RegExp(`  1\\. ${world.records[0]!.slice(0, 8)} .* testimony`),
    );
    expect(shown.stdout).toMatch(
      new RegExp(`▶ 2\\. ${world.records[1]!.slice(0, 8)} .* follow-up 1`),
    );
    const json = (await runSori(['--json', 'show', world.records[1]!], env)).json<{
      case: { id: string; records: string[] };
    }>();
    expect(json.case).toEqual({ id: world.records[0], records: world.records });
  });

  it('opens the case: original and translation, thread in order, then it reads as read', async () => {
    const view = (await s.send('GET', `/api/cases/${caseId}`)).json<{
      records: Array<{
        original: string;
        translation: { text: string };
        files: Array<{ fileId: string; mime: string; removed: string[] }>;
      }>;
    }>();
    expect(view.records.map((r) => r.original)).toEqual([TESTIMONY, FOLLOW_UP]);
    expect(view.records.map((r) => r.translation.text)).toEqual([
      'They took my passport.',
      'I was not paid my wages.',
    ]);
    expect(view.records[0]!.files[0]!.mime).toBe('image/jpeg');
    expect(view.records[0]!.files[0]!.removed.length).toBeGreaterThan(0);
    const { cases } = (await s.send('GET', '/api/cases')).json<{ cases: CaseRow[] }>();
    expect(cases[0]!.unread).toBe(false);
  });

  it('serves the photo from memory, sandboxed, and as a download only when asked', async () => {
    const view = (await s.send('GET', `/api/cases/${caseId}`)).json<{
      records: Array<{ id: string; files: Array<{ fileId: string }> }>;
    }>();
    const path = `/api/records/${view.records[0]!.id}/files/${view.records[0]!.files[0]!.fileId}`;
    const inline = await s.send('GET', path);
    expect(inline.status).toBe(200);
    expect(inline.headers['content-type']).toBe('image/jpeg');
    expect(inline.body.subarray(0, 2).toString('hex')).toBe('ffd8');
    expect(String(inline.headers['content-security-policy'])).toMatch(/^sandbox/);
    expect(String(inline.headers['content-disposition'])).toMatch(/^inline/);
    const saved = await s.send('GET', `${path}?download=1`);
    expect(String(saved.headers['content-disposition'])).toMatch(/^attachment/);
    expect(saved.body.equals(inline.body)).toBe(true);
  });

  it('serves the recording and the video in byte ranges, as players ask for them', async () => {
    const view = (await s.send('GET', `/api/cases/${caseId}`)).json<{
      records: Array<{
        id: string;
        files: Array<{ fileId: string; mime: string; inline: boolean; rendition: unknown }>;
      }>;
    }>();
    const follow = view.records[1]!;
    expect(follow.files.map((f) => [f.mime, f.inline])).toEqual([
      ['audio/mpeg', true],
      ['video/mp4', true],
    ]);
    const path = `/api/records/${follow.id}/files/${follow.files[1]!.fileId}`;
    const whole = await s.send('GET', path);
    expect([whole.status, whole.headers['accept-ranges']]).toEqual([200, 'bytes']);
    const part = await s.send('GET', path, undefined, { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${whole.body.length}`);
    expect(part.body.equals(whole.body.subarray(100, 200))).toBe(true);
    const tail = await s.send('GET', path, undefined, { range: 'bytes=-10' });
    expect(tail.body.equals(whole.body.subarray(-10))).toBe(true);
    const past = await s.send('GET', path, undefined, { range: `bytes=${whole.body.length + 5}-` });
    expect(past.status).toBe(416);
    // No rendition was made for a recording: asking for one is a clear 404.
    expect(follow.files[1]!.rendition).toBeNull();
    const none = await s.send('GET', `${path}/rendition`);
    expect([none.status, none.json<{ error: { code: string } }>().error.code]).toEqual([
      404,
      'RENDITION_NOT_FOUND',
    ]);
  });

  it('adds a note, a tag, a status, an ILO indicator and a reply as encrypted entries', async () => {
    const act = (body: unknown) => s.send('POST', `/api/cases/${caseId}/actions`, body);
    for (const body of [
      { kind: 'note', text: 'Check the employer name with the partner.' },
      { kind: 'tag', tag: 'Passport' },
      { kind: 'status', status: 'in-review' },
      {
        kind: 'indicator',
        indicator: 'retention_of_identity_documents',
        quote: TESTIMONY,
        confidence: 'high',
      },
      { kind: 'reply', text: '받았습니다. 고맙습니다.' },
      { kind: 'assignment', reviewer: 'bob' },
    ]) {
      const res = await act(body);
      expect({ body, status: res.status }).toEqual({ body, status: 200 });
    }
    const { rows } = await world.stack.app.pool.query<{ kind: string }>(
      `SELECT kind FROM record_entries WHERE author_id IS NOT NULL ORDER BY seq`,
    );
    expect(rows.map((r) => r.kind)).toEqual([
      'note',
      'tag',
      'status',
      'status',
      'indicator',
      'reply',
      'assignment',
    ]);
    const statuses = await world.stack.app.pool.query<{ status: string }>(
      'SELECT DISTINCT status FROM records',
    );
    expect(statuses.rows).toEqual([{ status: 'in-review' }]);
    const { cases } = (await s.send('GET', '/api/cases')).json<{ cases: CaseRow[] }>();
    expect(cases[0]).toMatchObject({
      tags: ['passport'],
      indicators: ['retention_of_identity_documents'],
      unread: false,
    });
    const refused = await act({
      kind: 'indicator',
      indicator: 'not_an_indicator',
      quote: 'x',
      confidence: 'high',
    });
    expect(refused.status).toBe(400);
  });

  it('searches decrypted text in memory: a word only in the translation, a note, nothing', async () => {
    const count = async (q: string) =>
      (await s.send('GET', `/api/cases?q=${encodeURIComponent(q)}`)).json<{ cases: CaseRow[] }>()
        .cases.length;
    expect(await count('PASSPORT')).toBe(1);
    expect(await count('wages')).toBe(1);
    expect(await count('employer name')).toBe(1);
    expect(await count('여권')).toBe(1);
    expect(await count('nowhere-to-be-found')).toBe(0);
    expect(
      (await s.send('GET', '/api/cases?status=closed')).json<{ cases: CaseRow[] }>().cases,
    ).toHaveLength(0);
    expect(
      (await s.send('GET', '/api/cases?tag=passport')).json<{ cases: CaseRow[] }>().cases,
    ).toHaveLength(1);
  });

  it('exports the Uwazi CSV + ZIP with its columns and the photo it names', async () => {
    const res = await s.send('GET', '/api/uwazi.zip');
    expect(res.status).toBe(200);
    const zip = unzipSync(new Uint8Array(res.body));
    const [header, row, ...rest] = parseCsv(strFromU8(zip['cases.csv']!));
    expect(rest).toEqual([]);
    expect(header).toEqual([...UWAZI_COLUMNS]);
    const cell = (name: string) => row![header!.indexOf(name)]!;
    expect(cell('title')).not.toBe('');
    expect(cell('received_on')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(cell('testimony__ko')).toContain(TESTIMONY);
    expect(cell('testimony__en')).toContain('They took my passport.');
    expect(cell('tags')).toBe('passport');
    expect(cell('follow_ups')).toBe('1');
    expect(cell('ilo_indicators')).toBe('Retention of identity documents');
    const attachments = cell('attachments').split('|');
    expect(attachments).toHaveLength(3);
    expect(zip[attachments[0]!]!.subarray(0, 2)).toEqual(Uint8Array.of(0xff, 0xd8));
    for (const a of attachments) expect(zip[a]!.length).toBeGreaterThan(100);
  });

  it('exports a printable case file with the custody proof, and the evidence bundle', async () => {
    const html = (await s.send('GET', `/api/cases/${caseId}/case-file.html`)).text();
    expect(html).toContain(TESTIMONY);
    expect(html).toContain('Chain of custody');
    expect(html).toMatch(/Custody log verified/);
    const profiles = () =>
      existsSync('/dev/shm')
        ? readdirSync('/dev/shm').filter((n) => n.startsWith('sori-pdf-'))
        : [];
    const before = profiles();
    const pdf = await s.send('GET', `/api/cases/${caseId}/case-file.pdf`);
    // The printer's browser profile lived in memory (/dev/shm) and is gone.
    expect(profiles().filter((n) => !before.includes(n))).toEqual([]);
    expect({ status: pdf.status, body: pdf.status === 200 ? '' : pdf.text() }).toEqual({
      status: 200,
      body: '',
    });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const zip = unzipSync(
      new Uint8Array((await s.send('GET', `/api/cases/${caseId}/evidence.zip`)).body),
    );
    const manifest = JSON.parse(strFromU8(zip['manifest.json']!)) as {
      records: string[];
      files: Array<{ path: string }>;
    };
    expect(manifest.records).toEqual(world.records);
    for (const f of manifest.files) expect(zip[f.path]).toBeDefined();
    // Unzipped, it is a `sori export` folder: `sori verify --export` checks it.
    const dir = mkdtempSync(join(tmpdir(), 'sori-desk-bundle-'));
    try {
      for (const [path, bytes] of Object.entries(zip)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), bytes);
      }
      const env = {
        SORI_HOME: world.home,
        SORI_PASSPHRASE: PASSPHRASE,
        SORI_SERVER: world.stack.reviewUrl,
      };
      const verified = await runSori(['verify', '--export', dir], env);
      expect({ code: verified.code, stderr: verified.stderr }).toEqual({ code: 0, stderr: '' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('enrols a reviewer from the admin screen and grants them the case, re-wrapping keys locally', async () => {
    const carol = {
      box: toBase64(generateBoxKeyPair().publicKey),
      sign: toBase64(generateSignKeyPair().publicKey),
    };
    const enrolled = await s.send('POST', '/api/admin/reviewers', {
      name: 'carol',
      role: 'reviewer',
      ...carol,
    });
    expect(enrolled.status).toBe(201);
    const carolId = enrolled.json<{ id: string }>().id;
    const overview = (await s.send('GET', '/api/admin')).json<{
      reviewers: Array<{ name: string }>;
    }>();
    expect(overview.reviewers.map((r) => r.name).sort()).toEqual(['alice', 'bob', 'carol']);
    const res = await s.send('POST', '/api/grants', { reviewer: 'carol', caseIds: [caseId] });
    expect(res.json()).toEqual({ reviewer: 'carol', records: 2, created: 2 });
    const { rows } = await world.stack.app.pool.query(
      'SELECT 1 FROM record_keys WHERE reviewer_id = $1',
      [carolId],
    );
    expect(rows).toHaveLength(2);
    const again = await s.send('POST', '/api/grants', { reviewer: 'carol', caseIds: [caseId] });
    expect(again.json()).toEqual({ reviewer: 'carol', records: 2, created: 0 });
  });

  it('sets retention and revokes a reviewer from the admin screen', async () => {
    const kept = await s.send('PUT', '/api/admin/retention', {
      policies: [{ status: 'closed', days: 365 }],
    });
    expect(kept.status).toBe(200);
    const overview = (await s.send('GET', '/api/admin')).json<{
      retention: unknown[];
      reviewers: Array<{ name: string; revokedOn: string | null }>;
    }>();
    expect(overview.retention).toEqual([{ status: 'closed', days: 365 }]);
    expect((await s.send('POST', '/api/admin/reviewers/carol/revoke', {})).status).toBe(200);
    const after = (await s.send('GET', '/api/admin')).json<{
      reviewers: Array<{ name: string; revokedOn: string | null }>;
    }>();
    expect(after.reviewers.find((r) => r.name === 'carol')?.revokedOn).toMatch(
      /^\d{4}-\d{2}-\d{2}$/,
    );
    const bad = await s.send('PUT', '/api/admin/retention', {
      policies: [{ status: 'x', days: 0 }],
    });
    expect(bad.status).toBe(400);
  });

  it('corrects the translation: the human one is shown instead of the machine one', async () => {
    const view = (
      await s.send('POST', `/api/cases/${caseId}/actions`, {
        kind: 'human-translation',
        recordId: world.records[0],
        text: 'My passport was taken from me.',
        target: 'en',
      })
    ).json<{ records: Array<{ translation: { title: string; text: string } }> }>();
    expect(view.records[0]!.translation.text).toBe('My passport was taken from me.');
    expect(view.records[0]!.translation.title).toMatch(/human: alice/);
    const ko = (await s.send('GET', `/api/cases/${caseId}?lang=ko`)).json<{
      records: Array<{ translation: { title: string } }>;
    }>();
    expect(ko.records.map((r) => r.translation.title)).toEqual([
      '사람 번역 · alice',
      expect.stringMatching(/^기계 번역 · libretranslate/),
    ]);
    const elsewhere = await s.send('POST', `/api/cases/${caseId}/actions`, {
      kind: 'human-translation',
      recordId: '00000000-0000-4000-8000-000000000000',
      text: 'x',
      target: 'en',
    });
    expect(elsewhere.status).toBe(404);
  });

  it('left nothing decrypted on disk: its home holds keys, a session and read marks only', () => {
    const files = readdirSync(world.home, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
    expect(files.map((f) => basename(f)).sort()).toEqual(['key.json', 'seen.json', 'session.json']);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const secret of [TESTIMONY, FOLLOW_UP, 'passport', 'employer'])
        expect({ f, leaks: text.includes(secret) }).toEqual({ f, leaks: false });
    }
  });

  it('locks when the reviewer asks, and unlocks again with the passphrase', async () => {
    expect((await s.send('POST', '/api/lock', {})).status).toBe(200);
    expect((await s.send('GET', '/api/state')).json()).toMatchObject({
      unlocked: false,
      lockedBecause: 'asked',
      reviewer: null,
    });
    expect((await s.send('GET', '/api/cases')).status).toBe(423);
    expect((await s.send('POST', '/api/unlock', { passphrase: PASSPHRASE })).status).toBe(200);
    expect((await s.send('GET', '/api/cases')).json<{ cases: CaseRow[] }>().cases).toHaveLength(1);
  });

  it('unlocks once for two unlocks at a time, and a lock during an unlock wins', async () => {
    const desk = await world.startDesk();
    const [a, b] = await Promise.all([
      desk.vault.unlock(PASSPHRASE),
      desk.vault.unlock(PASSPHRASE),
    ]);
    expect(a).toBe(b);
    desk.vault.lock('asked');
    const opening = desk.vault.unlock(PASSPHRASE);
    desk.vault.lock('asked');
    await expect(opening).rejects.toMatchObject({ code: 'DESK_LOCKED' });
    expect(desk.vault.unlocked).toBe(false);
  });

  it('locks after its idle time: keys gone, nothing decrypted served', async () => {
    const short = await openSession((await world.startDesk(1500)).openUrl);
    expect((await short.send('POST', '/api/unlock', { passphrase: PASSPHRASE })).status).toBe(200);
    expect((await short.send('GET', '/api/cases')).status).toBe(200);
    await waitFor(
      'the idle lock',
      async () => !(await short.send('GET', '/api/state')).json<{ unlocked: boolean }>().unlocked,
      20_000,
    );
    const state = (await short.send('GET', '/api/state')).json<{ lockedBecause: string }>();
    expect(state.lockedBecause).toBe('idle');
    expect((await short.send('GET', '/api/cases')).status).toBe(423);
    expect((await short.send('GET', `/api/cases/${caseId}`)).status).toBe(423);
  });
});
