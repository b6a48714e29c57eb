import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../../core/config';
import { silentLogger } from '../../../core/logger';
import { initCrypto } from '../../../crypto';
import { loadWorkerKeys, parseIntakeKeys, parseWorkerKey } from '../../../worker/keys';
import { registerWorkerKeys } from '../../../worker/register-keys';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createTestKeys, spawnWorker } from '../../support/worker';

// Loading the worker's secrets (files or env, several intake keys for rotation), publishing
// their public halves, the key generator CLI, and refusing to start without keys.

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');

describe('worker keys', () => {
  let db: TestDatabase;
  const dir = mkdtempSync(join(tmpdir(), 'sori-keys-'));

  beforeAll(async () => {
    await initCrypto();
    db = await createTestDatabase();
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  it('keys:init writes both files 0600, prints public ids only, and never overwrites', async () => {
    const cli = ['-r', '@swc-node/register', 'worker/keygen.main.ts', dir];
    const { stdout } = await run(process.execPath, cli, { cwd: ROOT });
    const intake = readFileSync(join(dir, 'intake-key.json'), 'utf8');
    const worker = readFileSync(join(dir, 'worker-key.json'), 'utf8');
    expect(statSync(join(dir, 'intake-key.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'worker-key.json')).mode & 0o777).toBe(0o600);
    const [intakeKey] = parseIntakeKeys(intake, 'X');
    const workerKey = parseWorkerKey(worker, 'X');
    expect(stdout).toContain(intakeKey!.id);
    expect(stdout).toContain(intakeKey!.fingerprint);
    expect(stdout).toContain(workerKey.signId);
    expect(stdout).not.toContain(JSON.parse(intake).secretKey);
    await expect(run(process.execPath, cli, { cwd: ROOT })).rejects.toMatchObject({ code: 1 });
    expect(readFileSync(join(dir, 'intake-key.json'), 'utf8')).toBe(intake);
    // docker compose runs it on every start: a complete key set is then left alone.
    await run(process.execPath, [...cli, '--if-missing'], { cwd: ROOT });
    expect(readFileSync(join(dir, 'intake-key.json'), 'utf8')).toBe(intake);
    expect(readFileSync(join(dir, 'worker-key.json'), 'utf8')).toBe(worker);
  });

  it('loads several intake keys from a comma-separated list and from a JSON array', async () => {
    const a = await createTestKeys();
    const b = await createTestKeys();
    writeFileSync(join(dir, 'a.json'), a.intakeJson);
    writeFileSync(join(dir, 'ab.json'), `[${b.intakeJson}]`);
    writeFileSync(join(dir, 'w.json'), a.workerJson);
    const config = loadConfig({
      INTAKE_SECRET_KEY_FILE: `${join(dir, 'a.json')}, ${join(dir, 'ab.json')}`,
      WORKER_KEY_FILE: join(dir, 'w.json'),
    });
    const loaded = loadWorkerKeys(config);
    expect(loaded.intake.map((k) => k.id)).toEqual([a.keys.intake[0]!.id, b.keys.intake[0]!.id]);
    expect(loaded.worker.signId).toBe(a.keys.worker.signId);

    const fromEnv = loadWorkerKeys(
      loadConfig({
        INTAKE_SECRET_KEY: `[${a.intakeJson},${b.intakeJson}]`,
        WORKER_KEY: a.workerJson,
      }),
    );
    expect(fromEnv.intakeById.size).toBe(2);

    // First key current, the next accepting; registering again changes nothing.
    await registerWorkerKeys(db.pool, loaded, silentLogger);
    await registerWorkerKeys(db.pool, loaded, silentLogger);
    const { rows } = await db.pool.query(`SELECT id, status FROM intake_keys ORDER BY status DESC`);
    expect(rows).toEqual([
      { id: a.keys.intake[0]!.id, status: 'current' },
      { id: b.keys.intake[0]!.id, status: 'accepting' },
    ]);
  });

  it('refuses bad key material without quoting it', async () => {
    const a = await createTestKeys();
    const b = await createTestKeys();
    const mixed = JSON.parse(a.intakeJson);
    mixed.publicKey = JSON.parse(b.intakeJson).publicKey;
    expect(() => parseIntakeKeys(JSON.stringify(mixed), 'INTAKE_SECRET_KEY')).toThrow(
      'INTAKE_SECRET_KEY: box key pair does not match',
    );
    expect(() => parseIntakeKeys('{"format":"other"}', 'INTAKE_SECRET_KEY')).toThrow(
      /not a sori-intake-key/,
    );
    expect(() => parseWorkerKey('not json', 'WORKER_KEY')).toThrow('WORKER_KEY: not JSON');
    const message = (() => {
      try {
        parseIntakeKeys(JSON.stringify(mixed), 'INTAKE_SECRET_KEY');
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(message).not.toContain(mixed.secretKey);
  });

  it('the worker process refuses to start without its keys', async () => {
    const child = spawnWorker({ DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(await new Promise((r) => child.child.once('exit', r))).toBe(1);
    expect(child.output()).toContain('INTAKE_SECRET_KEY_FILE: required by the worker');
  });
});
