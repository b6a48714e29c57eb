import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { generateReviewerKeys, initCrypto, toBase64 } from '../../../crypto';
import { obliterate } from '../../support/app';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../../support/env';
import { freePort } from '../../support/redis-server';
import { receiptFrom } from '../page/page-fixtures';

// The README's first hour, followed literally on a fresh clone: the blocks marked
// `<!-- first-hour:NAME -->` are run as written (`npm ci` aside: the clone borrows this
// checkout's node_modules), with the page's form posted over HTTP where a person would use a
// browser. Only the environment differs from a newcomer's: a database, ports and a queue
// prefix of its own, so it runs beside the rest of the suite.

jest.setTimeout(300_000);

const ROOT = join(__dirname, '..', '..', '..');
// Korean, so that the (stand-in) translator has something to translate.
const TEXT = `현장에서 여권을 빼앗겼습니다. 첫 시간 ${randomBytes(4).toString('hex')}`;

function readmeSteps(readme: string): Map<string, string> {
  const steps = new Map<string, string>();
  const block = /<!-- first-hour:(\w+) -->\s*```sh\n([\s\S]*?)\n\s*```/g;
  for (const m of readme.matchAll(block)) steps.set(m[1]!, m[2]!.trim());
  return steps;
}

const dbUrl = (name: string): string => {
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = `/${name}`;
  return u.toString();
};

async function dropDatabase(name: string): Promise<void> {
  const c = new Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await c.end();
}

/** One shell line, as typed in the clone; resolves with its exit code and output. */
function sh(line: string, cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    const child = spawn('bash', ['-c', line], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('README, first hour, on a fresh clone', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'sori-first-hour-'));
  // As a checkout in a home or /srv: the worker's jails run as nobody when the tests run as root.
  chmodSync(tmp, 0o755);
  const clone = join(tmp, 'sori');
  const dbName = `sori_fh_${randomBytes(4).toString('hex')}`;
  const distDb = `${dbName}_dist`;
  const prefix = `fh${randomBytes(4).toString('hex')}`;
  let env: NodeJS.ProcessEnv;
  let steps: Map<string, string>;
  let stack: ChildProcess | undefined;
  let stackOut = '';
  let publicPort = 0;
  let reviewPort = 0;

  beforeAll(async () => {
    execFileSync('git', ['clone', '-q', ROOT, clone]);
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
    steps = readmeSteps(readFileSync(join(clone, 'README.md'), 'utf8'));
    [publicPort, reviewPort] = [await freePort(), await freePort()];
    env = {
      PATH: process.env.PATH,
      HOME: tmp,
      DATABASE_URL: dbUrl(dbName),
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      PUBLIC_PORT: String(publicPort),
      REVIEW_PORT: String(reviewPort),
      // The console: a passphrase from the environment instead of a prompt, and the light
      // key-file KDF (honoured only under NODE_ENV=test) so each command is not 256 MiB.
      SORI_PASSPHRASE: 'a long first passphrase',
      SORI_KDF_PARAMS: 'test',
      COLUMNS: '200',
    };
  });
  afterAll(async () => {
    if (stack?.pid && stack.exitCode === null) {
      try {
        process.kill(-stack.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await dropDatabase(dbName);
    await dropDatabase(distDb);
    await obliterate(prefix);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('has the steps, in order', () => {
    expect([...steps.keys()]).toEqual(['install', 'start', 'admin', 'list', 'show']);
    expect(steps.get('install')).toBe('npm ci');
  });

  it('starts the whole stack with one command and says what to do next', async () => {
    stack = spawn('bash', ['-c', steps.get('start')!], {
      cwd: clone,
      env,
      detached: true, // its own process group, as a terminal's foreground job
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stack.stdout!.on('data', (d: Buffer) => (stackOut += d.toString('utf8')));
    stack.stderr!.on('data', (d: Buffer) => (stackOut += d.toString('utf8')));
    for (let i = 0; !stackOut.includes('Ctrl-C stops everything.'); i++) {
      if (stack.exitCode !== null || i > 1200) throw new Error(`no start:\n${stackOut}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(stackOut).toContain('migrate   | info database.created');
    expect(stackOut).toMatch(/keys {6}\| intake key {2}k1_/);
    expect(stackOut).toContain('worker    | info worker.started');
    expect(stackOut).toContain(`source page:  http://127.0.0.1:${publicPort}/`);
    expect(stackOut).toContain(
      `DATABASE_URL="$DATABASE_URL" SORI_SERVER=http://127.0.0.1:${reviewPort} ${steps.get('admin')}`,
    );
    expect(existsSync(join(clone, '.sori-data', 'keys', 'intake-key.json'))).toBe(true);
    // Nothing it wrote shows in git (the data directory is ignored); node_modules is our link.
    const status = execFileSync('git', ['status', '--porcelain'], { cwd: clone }).toString();
    expect(status.split('\n').filter((l) => l && l !== '?? node_modules')).toEqual([]);
  });

  it('makes the first reviewer with the printed command', async () => {
    const printed = /Next, the first reviewer, in another terminal:\ndev:stack \| {2}(.+)\n/.exec(
      stackOut,
    )?.[1];
    expect(printed).toBeDefined();
    const r = await sh(printed!, clone, { ...env, NODE_ENV: 'test' });
    expect(r.out).toContain(`Created the key file ${tmp}/.sori/key.json`);
    expect(r.out).toMatch(/Enrolled alice as the first admin \([0-9a-f-]{36}\)\./);
    expect(r.out).toContain(`Logged in to http://127.0.0.1:${reviewPort} until`);
    expect(r.code).toBe(0);
  });

  it('takes a testimony through the page, which the reviewer lists and reads', async () => {
    const page = await fetch(`http://127.0.0.1:${publicPort}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="submit-form"');
    const form = new FormData();
    form.set('lang', 'ko');
    form.set('text', TEXT);
    const sent = await fetch(`http://127.0.0.1:${publicPort}/submit?lang=ko`, {
      method: 'POST',
      body: form,
    });
    expect(sent.status).toBe(200);
    expect(receiptFrom(await sent.text())).toMatch(/^\d{4}(-\d{4}){4}$/);

    const consoleEnv = { ...env, NODE_ENV: 'test', SORI_SERVER: `http://127.0.0.1:${reviewPort}` };
    let listed = { code: null as number | null, out: '' };
    for (let i = 0; i < 60; i++) {
      listed = await sh(steps.get('list')!, clone, consoleEnv);
      if (/[0-9a-f-]{36}/.test(listed.out)) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^NEW\s+ID\s+DAY\s+LANG\s+STATUS/m);
    const id = /([0-9a-f]{8}-[0-9a-f-]{27})/.exec(listed.out)![1]!;

    const shown = await sh(steps.get('show')!.replace('ID', id), clone, consoleEnv);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain(id);
    expect(shown.out).toContain(TEXT);
    expect(shown.out).toContain(`[en] ${TEXT}`); // the stand-in translator's mark
  });

  it('stops all of it on Ctrl-C', async () => {
    const exited = new Promise<void>((resolve) => stack!.once('exit', () => resolve()));
    process.kill(-stack!.pid!, 'SIGINT'); // what the terminal sends its foreground group
    await exited;
    expect(stackOut).toContain('server    | info server.stopped');
    expect(stackOut).toContain('worker    | info worker.stopped');
    expect(stackOut).toContain('dev:stack | stopped.');
    await expect(fetch(`http://127.0.0.1:${publicPort}/healthz`)).rejects.toThrow();
  });

  it('runs the operator commands from dist/ without dev dependencies', async () => {
    const pkg = JSON.parse(readFileSync(join(clone, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.scripts['migrate:dist']).toBe('node dist/sql/migrate.main.js');
    expect(pkg.scripts['keys:init:dist']).toBe('node dist/worker/keygen.main.js');
    expect(pkg.scripts['admin:bootstrap:dist']).toBe(
      'node dist/server/review/bootstrap-admin.main.js',
    );
    expect((await sh('npm run -s build', clone, env)).code).toBe(0);
    // Loaded first: any require of a devDependency throws, naming it.
    const guard = join(tmp, 'no-dev-deps.js');
    writeFileSync(
      guard,
      `const Module = require('module');
const dev = new Set(${JSON.stringify(Object.keys(pkg.devDependencies))});
const load = Module._load;
Module._load = function (request, ...rest) {
  const name = request.startsWith('@') ? request.split('/').slice(0, 2).join('/') : request.split('/')[0];
  if (dev.has(name)) throw new Error('dev dependency required: ' + name);
  return load.call(this, request, ...rest);
};
`,
    );
    const distEnv = { ...env, DATABASE_URL: dbUrl(distDb), NODE_OPTIONS: `--require ${guard}` };
    const migrated = await sh('node dist/sql/migrate.main.js --create', clone, distEnv);
    expect(migrated).toMatchObject({ code: 0 });
    expect(migrated.out).toContain('migration.done');
    const keys = await sh(
      `node dist/worker/keygen.main.js ${join(tmp, 'distkeys')}`,
      clone,
      distEnv,
    );
    expect(keys.code).toBe(0);
    expect(keys.out).toMatch(/intake key {2}k1_/);
    await initCrypto();
    const admin = generateReviewerKeys();
    const boot = await sh(
      `node dist/server/review/bootstrap-admin.main.js --name bob --box=${toBase64(admin.box.publicKey)} --sign=${toBase64(admin.sign.publicKey)}`,
      clone,
      distEnv,
    );
    expect(boot.code).toBe(0);
    expect(JSON.parse(boot.out)).toMatchObject({ name: 'bob', role: 'admin' });
  });
});
