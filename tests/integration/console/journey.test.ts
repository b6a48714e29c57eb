import { cpSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  deriveSourceKeys,
  fingerprint,
  fromBase64,
  generateBoxKeyPair,
  generateReviewerKeys,
  initCrypto,
  openReply,
  randomId,
  toBase64,
} from '../../../crypto';
import { listActiveReviewerRows } from '../../../core/repositories/reviewer.repository';
import { createEnrolmentTrust } from '../../../worker/enrolment-trust';
import {
  bootstrapAdmin,
  cleanup,
  ok,
  soriUser,
  startStack,
  tempDir,
  waitFor,
  type Stack,
  type SoriUser,
} from './console-harness';

// The reviewer's whole journey through the `sori` console against the real system: keys,
// enrolment, an intermediary's submission, the worker, reading, annotating, granting,
// exporting and verifying the chain of custody, and tampering being caught.

jest.setTimeout(240_000);

const KOREAN = '여권을 빼앗겼어요.';
const ENGLISH = 'They took my passport.';

interface Keygen {
  boxPublicKey: string;
  signPublicKey: string;
}

interface Listed {
  records: Array<{
    id: string;
    language: string;
    status: string;
    translated: boolean;
    tags: string[];
  }>;
}

describe('sori console: the full journey', () => {
  let stack: Stack;
  let admin: SoriUser;
  let alice: SoriUser;
  let bob: SoriUser;
  let intermediary: SoriUser;
  let work: string;
  let recordId: string;
  let receipt: string;
  let rootSignKey: string; // the enrolment root (the first admin's signing key)

  beforeAll(async () => {
    await initCrypto();
    stack = await startStack();
    admin = soriUser(stack, 'admin passphrase');
    alice = soriUser(stack, 'alice passphrase 한글');
    bob = soriUser(stack, 'bob passphrase');
    intermediary = soriUser(stack, 'unused');
    work = tempDir('sori-work-');
  });

  afterAll(async () => {
    await stack?.close();
    cleanup(
      [admin, alice, bob, intermediary]
        .filter(Boolean)
        .map((u) => u.home)
        .concat(work ? [work] : []),
    );
  });

  async function enrol(user: SoriUser, name: string): Promise<void> {
    const keys = (await ok(user, ['--json', 'keygen', '--name', name])).json<Keygen>();
    await ok(admin, [
      'admin',
      'enroll',
      '--name',
      name,
      `--box=${keys.boxPublicKey}`,
      `--sign=${keys.signPublicKey}`,
    ]);
  }

  it('bootstraps the first admin from keygen output and logs in', async () => {
    const keys = (await ok(admin, ['--json', 'keygen', '--name', 'root'])).json<
      Keygen & { enroll: string }
    >();
    expect(keys.enroll).toContain(`--box=${keys.boxPublicKey}`);
    expect(statSync(join(admin.home, 'key.json')).mode & 0o777).toBe(0o600);
    // The first admin's key is the worker's enrolment root here (ENROLMENT_ROOTS_FILE in a
    // deployment; an offline custodian's key works the same): it certifies itself, offline.
    rootSignKey = keys.signPublicKey;
    stack.workerKeys.enrolment = createEnrolmentTrust([fromBase64(rootSignKey)]);
    const cert = (
      await ok(admin, [
        '--json',
        'admin',
        'certify',
        `--box=${keys.boxPublicKey}`,
        `--sign=${keys.signPublicKey}`,
      ])
    ).json<{ certSigner: string; certSignature: string }>();
    expect(cert.certSigner).toBe(keys.signPublicKey);
    const boot = await bootstrapAdmin(
      stack.app.db.url,
      'root',
      keys.boxPublicKey,
      keys.signPublicKey,
      [`--cert-signer=${cert.certSigner}`, `--cert-signature=${cert.certSignature}`],
    );
    // Both in one assertion: a failure shows what the script said.
    expect({ code: boot.code, stderr: boot.stderr }).toEqual({ code: 0, stderr: '' });

    expect((await ok(admin, ['login'])).stdout).toContain('as root (admin)');
    expect(statSync(join(admin.home, 'session.json')).mode & 0o777).toBe(0o600);
    const me = (await ok(admin, ['--json', 'whoami'])).json<{ name: string; role: string }>();
    expect(me).toMatchObject({ name: 'root', role: 'admin' });
  });

  it('enrols reviewer alice', async () => {
    await enrol(alice, 'alice');
    const list = (await ok(admin, ['--json', 'admin', 'reviewers'])).json<{
      reviewers: Array<{ name: string }>;
    }>();
    expect(list.reviewers.map((r) => r.name).sort()).toEqual(['alice', 'root']);
    // A reviewer row written into the database by someone who can (no certificate): the worker
    // must not seal records to it. Checked once the first record exists, then removed.
    const intruder = generateReviewerKeys();
    await stack.app.pool.query(
      `INSERT INTO reviewers (id, name, box_public_key, sign_public_key) VALUES ($1, 'mallory', $2, $3)`,
      [randomId(), Buffer.from(intruder.box.publicKey), Buffer.from(intruder.sign.publicKey)],
    );
  });

  it('replaces a cached session the server no longer accepts, and logs out', async () => {
    await ok(alice, ['whoami']);
    await stack.app.pool.query(`DELETE FROM sessions`);
    expect((await ok(alice, ['--json', 'whoami'])).json<{ name: string }>().name).toBe('alice');
    expect((await ok(admin, ['logout'])).stdout).toBe('Logged out.\n');
    expect(existsSync(join(admin.home, 'session.json'))).toBe(false);
    expect((await ok(admin, ['whoami'])).stdout).toMatch(/^name: +root$/m);
  });

  it('submits a Korean testimony as an intermediary and prints the receipt', async () => {
    writeFileSync(join(work, 'interview.txt'), `${KOREAN}\n`);
    writeFileSync(
      join(work, 'answers.json'),
      JSON.stringify({ country: '러시아', employer: 'construction', months: 14 }),
    );
    const r = await ok(intermediary, [
      '--json',
      'submit',
      '--text',
      join(work, 'interview.txt'),
      '--answers',
      join(work, 'answers.json'),
      '--lang',
      'ko',
    ]);
    const out = r.json<{ id: string; receipt: string; intakeFingerprint: string }>();
    expect(out.receipt).toMatch(/^\d{4}(-\d{4}){4}$/);
    expect(r.stderr).toContain(out.intakeFingerprint);
    receipt = out.receipt;
    const rows = await waitFor('the record', async () => {
      const { rows } = await stack.app.pool.query<{ id: string }>(
        `SELECT id FROM records WHERE submission_id = $1 AND translated`,
        [out.id],
      );
      return rows.length ? rows : null;
    });
    recordId = rows[0]!.id;
    const { rows: holders } = await stack.app.pool.query<{ name: string }>(
      `SELECT v.name FROM record_keys k JOIN reviewers v ON v.id = k.reviewer_id
        WHERE k.record_id = $1 ORDER BY v.name`,
      [recordId],
    );
    expect(holders.map((h) => h.name)).toEqual(['alice', 'root']);
    await stack.app.pool.query(`DELETE FROM reviewers WHERE name = 'mallory'`);
  });

  it('lists and shows the decrypted Korean text beside its English translation', async () => {
    const listed = (await ok(alice, ['--json', 'list'])).json<Listed>();
    expect(listed.records).toEqual([
      expect.objectContaining({
        id: recordId,
        language: 'ko',
        status: 'new',
        translated: true,
        tags: [],
        unread: true,
      }),
    ]);
    const table = (await ok(alice, ['list'])).stdout;
    expect(table.split('\n')[0]).toMatch(/^NEW\s+ID\s+DAY\s+LANG\s+STATUS\s+TAGS\s+TRANSLATED$/);
    expect(table.split('\n')[1]).toMatch(/^\*\s+/);
    expect(table).toContain(recordId);

    const shown = (await ok(alice, ['show', recordId, '--width', '100'])).stdout;
    const line = shown.split('\n').find((l) => l.includes(KOREAN));
    expect(line).toBeDefined();
    expect(line).toContain(`│ ${ENGLISH}`);
    expect(shown).toContain('Sanitisation');
    expect(shown).toMatch(/country\s+러시아/);
    const byPrefix = await ok(alice, ['show', recordId.slice(0, 10), '--width', '100']);
    expect(byPrefix.stdout).toBe(shown);
    // Shown once, it is no longer new.
    expect((await ok(alice, ['--json', 'list'])).json<Listed>().records[0]).toMatchObject({
      unread: false,
    });

    const json = (await ok(alice, ['--json', 'show', recordId])).json<{
      body: { text: string; translation: { text: string } };
    }>();
    expect(json.body.text).toBe(KOREAN);
    expect(json.body.translation.text).toBe(ENGLISH);
  });

  it('adds a note and a tag; --tag filters on the decrypted tags', async () => {
    await ok(alice, ['note', recordId, '고용주가 여권을 보관함 — employer kept passport']);
    await ok(alice, ['tag', recordId, 'Passport']);
    await ok(alice, ['status', recordId, 'in-review']);
    const tagged = (await ok(alice, ['--json', 'list', '--tag', 'passport'])).json<Listed>();
    expect(tagged.records).toEqual([
      expect.objectContaining({ id: recordId, tags: ['passport'], status: 'in-review' }),
    ]);
    expect((await ok(alice, ['--json', 'list', '--tag', 'wages'])).json<Listed>().records).toEqual(
      [],
    );
    expect((await ok(alice, ['--json', 'list', '--status', 'new'])).json<Listed>().records).toEqual(
      [],
    );
    const shown = (await ok(alice, ['show', recordId])).stdout;
    expect(shown).toMatch(
      /#1 +\d{4}-\d\d-\d\d +alice +note\n +고용주가 여권을 보관함 — employer kept passport\n/,
    );
    expect(shown).toMatch(/alice +tag\n +#passport\n/);
  });

  it('adds a human translation, which show prefers, and an assignment', async () => {
    writeFileSync(join(work, 'human.txt'), 'My passport was taken from me.\n');
    await ok(alice, ['translate', recordId, '--file', join(work, 'human.txt')]);
    await ok(alice, ['assign', recordId, 'alice']);
    const shown = (await ok(alice, ['show', recordId, '--width', '120'])).stdout;
    expect(shown).toContain('Translation (en, human: alice)');
    expect(shown.split('\n').find((l) => l.includes(KOREAN))).toContain(
      '│ My passport was taken from me.',
    );
    expect(shown).toContain('assigned to alice');
  });

  it('a reviewer enrolled later sees nothing until alice grants the record', async () => {
    await enrol(bob, 'bob');
    expect((await ok(bob, ['--json', 'list'])).json<Listed>().records).toEqual([]);
    const refused = await bob.run(['show', recordId]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/^sori: .+\(RECORD_NOT_FOUND\)\n$/);

    // Alice's console checks bob's certificate against the root she was given, not the
    // server's word: a row added by SQL is refused before any key is re-sealed to it.
    const roots = { SORI_ENROLMENT_ROOTS: rootSignKey };
    const intruder = generateReviewerKeys();
    await stack.app.pool.query(
      `INSERT INTO reviewers (id, name, box_public_key, sign_public_key) VALUES ($1, 'trent', $2, $3)`,
      [randomId(), Buffer.from(intruder.box.publicKey), Buffer.from(intruder.sign.publicKey)],
    );
    const toIntruder = await alice.run(['grant', recordId, '--to', 'trent'], roots);
    expect(toIntruder.code).not.toBe(0);
    expect(toIntruder.stderr).toContain('(REVIEWER_NOT_CERTIFIED)');
    await stack.app.pool.query(`DELETE FROM reviewers WHERE name = 'trent'`);
    // A prefix of the id names the record; --all then finds nothing more to grant.
    const granted = await ok(alice, ['grant', recordId.slice(0, 8), '--to', 'bob'], roots);
    expect(granted.stdout).toBe(`Granted bob access to ${recordId}.\n`);
    const again = await ok(alice, ['--json', 'grant', '--all', '--to', 'bob'], roots);
    expect(again.json()).toMatchObject({ records: 1, created: 0, reviewer: 'bob' });
    expect((await ok(bob, ['--json', 'list'])).json<Listed>().records.map((r) => r.id)).toEqual([
      recordId,
    ]);
    const shown = (await ok(bob, ['show', recordId])).stdout;
    expect(shown).toContain(KOREAN);
    expect(shown).toContain('employer kept passport');
  });

  it('recertifies a reviewer enrolled without a certificate, so the worker counts them', async () => {
    const carol = generateReviewerKeys();
    await stack.app.pool.query(
      `INSERT INTO reviewers (id, name, box_public_key, sign_public_key) VALUES ($1, 'carol', $2, $3)`,
      [randomId(), Buffer.from(carol.box.publicKey), Buffer.from(carol.sign.publicKey)],
    );
    const certifiedIds = async () =>
      stack.workerKeys.enrolment
        .trusted(await listActiveReviewerRows(stack.app.pool))
        .map((r) => r.id);
    const before = await certifiedIds();
    // The keys come from carol herself; the server's listing must match them.
    const keys = [
      `--box=${toBase64(carol.box.publicKey)}`,
      `--sign=${toBase64(carol.sign.publicKey)}`,
    ];
    const asAdmin = await admin.run(['admin', 'recertify', 'carol', ...keys, '--role', 'admin']);
    expect(asAdmin.stderr).toContain('(KEYS_MISMATCH)');
    const otherBox = `--box=${toBase64(generateBoxKeyPair().publicKey)}`;
    const swapped = await admin.run([
      'admin',
      'recertify',
      'carol',
      otherBox,
      keys[1]!,
      '--role',
      'reviewer',
    ]);
    expect(swapped.stderr).toContain('(KEYS_MISMATCH)');
    const out = (
      await ok(admin, ['--json', 'admin', 'recertify', 'carol', ...keys, '--role', 'reviewer'])
    ).json<{ id: string }>();
    expect(before).not.toContain(out.id);
    expect(await certifiedIds()).toContain(out.id);
    await ok(admin, ['admin', 'revoke', 'carol']);
  });

  it('replies to the source: only the receipt opens the reply', async () => {
    await ok(alice, ['reply', recordId, '연락 주셔서 감사합니다.']);
    const { rows } = await stack.app.pool.query<{ sealed: Buffer }>(
      `SELECT sealed FROM replies WHERE record_id = $1`,
      [recordId],
    );
    expect(rows).toHaveLength(1);
    const source = deriveSourceKeys(receipt);
    expect(openReply<{ text: string }>(new Uint8Array(rows[0]!.sealed), source.keyPair).text).toBe(
      '연락 주셔서 감사합니다.',
    );
    expect((await ok(bob, ['show', recordId])).stdout).toContain(
      'reply to source: 연락 주셔서 감사합니다.',
    );
  });

  it('exports the record and verify passes on the log, the stored records and the export', async () => {
    const out = join(work, 'export');
    const exported = (await ok(alice, ['--json', 'export', '--all', '--out', out])).json<{
      records: string[];
    }>();
    expect(exported.records).toEqual([recordId]);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      files: Array<{ path: string }>;
    };
    expect(manifest.files.map((f) => f.path).sort()).toEqual([
      `${recordId}/custody.json`,
      `${recordId}/record.json`,
    ]);
    const record = JSON.parse(readFileSync(join(out, recordId, 'record.json'), 'utf8')) as {
      record: { body: { text: string } };
    };
    expect(record.record.body.text).toBe(KOREAN);
    expect(statSync(join(out, recordId, 'record.json')).mode & 0o777).toBe(0o600);

    const verified = await ok(alice, ['verify', '--export', out]);
    expect(verified.stdout).toContain('Custody log intact: 1 entries');
    expect(verified.stdout).toContain('1 checked');
    const summary = (await ok(bob, ['--json', 'verify'])).json<{
      ok: boolean;
      recordsChecked: number;
    }>();
    expect(summary).toMatchObject({ ok: true, recordsChecked: 1 });
    await ok(alice, ['verify', '--offline', '--export', out]);
  });

  it('verify names a changed export file', async () => {
    const copy = join(work, 'export-tampered');
    cpSync(join(work, 'export'), copy, { recursive: true });
    const file = join(copy, recordId, 'record.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace(KOREAN, '여권을 돌려받았어요.'));
    const r = await alice.run(['verify', '--export', copy]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${recordId}/record.json does not match its SHA-256 in the manifest. (EXPORT_FILE_CHANGED)`,
    );
  });

  it('verify fails when one byte of a stored record body changes', async () => {
    const flip = `UPDATE records SET body = set_byte(body, 40, get_byte(body, 40) # 1) WHERE id = $1`;
    await stack.app.pool.query(flip, [recordId]);
    try {
      const r = await alice.run(['verify']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(
          `stored body of record ${recordId} does not match custody entry 1.*\\(RECORD_BODY_MISMATCH\\)`,
        ),
      );
    } finally {
      await stack.app.pool.query(flip, [recordId]);
    }
    await ok(alice, ['verify']);
  });

  it('verify fails when one byte of a custody entry changes', async () => {
    await stack.app.pool.query(`ALTER TABLE custody_log DISABLE TRIGGER custody_log_append_only`);
    await stack.app.pool.query(
      `UPDATE custody_log SET signature = set_byte(signature, 0, get_byte(signature, 0) # 1) WHERE seq = 1`,
    );
    const r = await alice.run(['--json', 'verify']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'sori: The custody log breaks at entry 1: its signature does not verify. (CUSTODY_CHAIN_BROKEN)\n',
    );

    await stack.app.pool.query(
      `UPDATE custody_log SET signature = set_byte(signature, 0, get_byte(signature, 0) # 1) WHERE seq = 1`,
    );
    await stack.app.pool.query(
      `UPDATE custody_log SET payload = jsonb_set(payload, '{bodySha256}', to_jsonb(repeat('0', 64))) WHERE seq = 1`,
    );
    const again = await alice.run(['verify']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('breaks at entry 1: its content does not match its hash');
  });

  it('runs the operator commands: retention, intake key rotation, revocation', async () => {
    const set = await ok(admin, [
      '--json',
      'admin',
      'retention',
      '--set',
      'closed=30',
      '--set',
      'verified=3650',
    ]);
    expect(set.json<{ policies: unknown[] }>().policies).toEqual(
      expect.arrayContaining([
        { status: 'closed', days: 30 },
        { status: 'verified', days: 3650 },
      ]),
    );
    expect((await ok(admin, ['--json', 'admin', 'retention', '--run'])).json()).toMatchObject({
      run: { deleted: 0 },
    });

    const next = generateBoxKeyPair();
    const rotated = await ok(admin, [
      'admin',
      'rotate-intake-key',
      '--public-key',
      toBase64(next.publicKey),
    ]);
    expect(rotated.stdout).toContain(fingerprint(next.publicKey));
    const keys = (await ok(admin, ['--json', 'admin', 'intake-keys'])).json<{
      keys: Array<{ status: string }>;
    }>();
    expect(keys.keys.map((k) => k.status).sort()).toEqual(['accepting', 'current']);

    const notAdmin = await alice.run(['admin', 'retention']);
    expect(notAdmin.stderr).toMatch(/\(ADMIN_REQUIRED\)\n$/);
    await ok(admin, ['admin', 'revoke', 'bob']);
    const revoked = await bob.run(['list']);
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toMatch(/^sori: .+\(REVIEWER_REVOKED\)\n$/);
  });
});
