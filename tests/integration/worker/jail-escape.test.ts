import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { initCrypto, toBase64, generateBoxKeyPair } from '../../../crypto';
import { createJailSandbox } from '../../../worker/jail/sandbox';
import type { Sandbox } from '../../../worker/jail/sandbox.types';
import type { RecordFile } from '../../../core/record/record-body';
import { makePng } from '../../fixtures/make-image';
import { recoverable } from '../../fixtures/make-sanitise-context';
import {
  readCleanFile,
  recordKeyFor,
  submitWithFiles,
  type TestFile,
} from '../attachments/attachment-fixtures';
import { startAttachmentStack, type AttachmentStack } from '../attachments/attachment-stack';
import { readRecordWhenDone } from './worker-fixtures';

// The jail, attacked from inside. The worker runs with its real sandbox (bubblewrap → prlimit →
// node, the pool, a jail per submission), its entry point swapped for the test-only probe
// (tests/support/jail-probe.ts): the jail's own program, which on a file reading
// `PROBE <escape> <arg>` tries that escape and reports what happened in the file's report.
// Each submission carries one escape and a PNG with planted metadata: the escape must fail,
// the PNG must come out clean (after a crash, from a fresh jail), and the worker goes on.

jest.setTimeout(240_000);

const ROOT = resolve(__dirname, '../../..');
const PROBE = join(ROOT, 'tests/support/jail-probe.ts');
const CANARY = 'JAIL-CANARY-7f3a9c';

describe('sanitiser jail: escapes from inside fail, and the worker goes on', () => {
  let stack: AttachmentStack;
  let sandbox: Sandbox;
  let keyDir: string;
  let keyFile: string;
  let png: Buffer;
  let pngPlanted: string[];
  const saved = { ...process.env };

  beforeAll(async () => {
    await initCrypto();
    // The worker's secrets, where a compromised parser would look: a key file and variables.
    keyDir = mkdtempSync('/dev/shm/sori-jail-keys-');
    keyFile = join(keyDir, 'worker-key.json');
    writeFileSync(keyFile, JSON.stringify({ secretKey: CANARY }), { mode: 0o600 });
    process.env.WORKER_KEY = CANARY;
    process.env.INTAKE_SECRET_KEY = CANARY;
    process.env.WORKER_KEY_FILE = keyFile;
    sandbox = createJailSandbox({
      poolSize: 2,
      limits: { memoryMb: 6144, cpuSeconds: 6, fileMb: 64, openFiles: 128, processes: 64 },
      session: { deadlineMs: 25_000, maxOutputBytes: 64 * 1024 * 1024 },
      entry: PROBE,
    });
    stack = await startAttachmentStack({
      sandbox,
      config: {
        ORIGINALS: 'custodian',
        CUSTODIAN_PUBLIC_KEY: toBase64(generateBoxKeyPair().publicKey),
      },
    });
    const fixture = await makePng(stack.dirs.fixtures);
    png = readFileSync(fixture.path);
    pngPlanted = fixture.planted;
  });

  afterAll(async () => {
    await stack?.close();
    rmSync(keyDir, { recursive: true, force: true });
    process.env = saved;
  });

  /** One submission: the escape and a PNG; the escape's file, and the PNG checked clean. */
  async function attempt(escape: string, arg: unknown): Promise<RecordFile> {
    const files: TestFile[] = [
      {
        name: 'probe.txt',
        type: 'text/plain',
        data: Buffer.from(`PROBE ${escape} ${JSON.stringify(arg)}`),
      },
      { name: 'IMG_0001.png', type: 'image/png', data: png },
    ];
    const { app, keys, admin } = stack;
    const { submissionId } = await submitWithFiles(app.url, keys.intake.publicKey, escape, files);
    const { body, recordId } = await readRecordWhenDone(app.pool, submissionId, admin);
    expect(body.files).toHaveLength(2);
    const [probe, photo] = body.files as [RecordFile, RecordFile];
    // The rest of the submission is stored, sanitised as ever.
    expect(photo.status === 'clean' ? 'clean' : photo.reason).toBe('clean');
    const recordKey = await recordKeyFor(app.pool, recordId, admin);
    const clean = await readCleanFile(app.pool, recordKey, photo);
    expect(recoverable(clean, pngPlanted)).toEqual([]);
    return probe;
  }

  const outcome = (f: RecordFile): Record<string, unknown> => {
    expect(f.status).toBe('unsanitised');
    if (f.status !== 'unsanitised') throw new Error('clean');
    expect(f.reason).toBe('PROBE_DONE');
    return JSON.parse(f.report!.notes![0]!) as Record<string, unknown>;
  };

  it('sees no key variable and none of the worker’s environment', async () => {
    const seen = outcome(await attempt('env', CANARY));
    expect(seen.canary).toBe(false);
    expect(seen.environ).toMatchObject({ canary: false });
    const names = seen.names as string[];
    for (const leaked of ['WORKER_KEY', 'INTAKE_SECRET_KEY', 'WORKER_KEY_FILE', 'DATABASE_URL'])
      expect(names).not.toContain(leaked);
  });

  it('cannot read the worker’s key file or the worker’s /proc/<pid>/environ', async () => {
    const paths = [
      keyFile,
      `/proc/${process.pid}/environ`,
      `/proc/${process.ppid}/environ`,
      '/proc/1/environ',
      join(ROOT, '.env'),
    ];
    const seen = outcome(await attempt('read', { paths, canary: CANARY }));
    const results = seen.results as Array<{ path: string; error?: string; canary?: boolean }>;
    expect(results[0]).toEqual({ path: keyFile, error: 'ENOENT' });
    expect(results[1]).toEqual({ path: `/proc/${process.pid}/environ`, error: 'ENOENT' });
    for (const r of results) expect(r.canary ?? false).toBe(false);
  });

  it('reaches neither Postgres nor Redis on 127.0.0.1: its network has nothing in it', async () => {
    const seen = outcome(await attempt('connect', [5432, 6379]));
    // An empty network namespace: a loopback of its own, where nothing listens.
    expect(seen.interfaces).toEqual(['lo']);
    expect(seen.results).toEqual([
      { port: 5432, error: 'ECONNREFUSED' },
      { port: 6379, error: 'ECONNREFUSED' },
    ]);
  });

  it('cannot write outside its scratch', async () => {
    const paths = ['/usr/escape', '/escape', '/dev/escape', join(ROOT, 'escape'), keyDir + '/x'];
    const seen = outcome(await attempt('write', paths));
    const results = seen.results as Array<{ path: string; error?: string; wrote?: boolean }>;
    for (const r of results) expect(r.error).toMatch(/^(EROFS|ENOENT|EACCES)$/);
  });

  it('cannot fork 1,000 processes', async () => {
    const seen = outcome(await attempt('fork', 1000));
    expect(seen.refused).toBe('EAGAIN');
    expect(seen.started as number).toBeLessThan(64);
  });

  it('cannot allocate past its memory limit', async () => {
    const probe = await attempt('allocate', 8192);
    // Either the allocation fails in the probe, or the jail dies of it.
    if (probe.status === 'unsanitised' && probe.reason === 'SANDBOX_LIMIT') return;
    const seen = outcome(probe);
    expect(seen.error).toBe('RangeError');
    expect(seen.allocatedMb as number).toBeLessThan(6144);
  });

  it('spinning past the CPU limit: SANDBOX_LIMIT, the original held back', async () => {
    const probe = await attempt('spin', null);
    expect(probe).toMatchObject({ status: 'unsanitised', reason: 'SANDBOX_LIMIT' });
    // Not lost: the original is kept for an admin, as for any file not cleaned.
    expect(probe.fileId).not.toBeNull();
  });

  it('sleeping past the deadline: SANDBOX_TIMEOUT', async () => {
    const probe = await attempt('sleep', null);
    expect(probe).toMatchObject({ status: 'unsanitised', reason: 'SANDBOX_TIMEOUT' });
    expect(probe.fileId).not.toBeNull();
  });

  it('crashing: SANDBOX_CRASHED', async () => {
    const probe = await attempt('crash', null);
    expect(probe).toMatchObject({ status: 'unsanitised', reason: 'SANDBOX_CRASHED' });
    expect(probe.fileId).not.toBeNull();
  });

  it('leaves nothing for the next submission’s jail to find', async () => {
    outcome(await attempt('leave', 'marker'));
    const seen = outcome(await attempt('whoami', null));
    expect((seen.scratch as string[]).filter((p) => p.includes('left-'))).toEqual([]);
  });
});
