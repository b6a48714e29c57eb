import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startChild, runStep, type Child } from './processes';

// `npm run dev:stack`: the whole of Sori on one machine without Docker, for a developer or a
// trial, never for real sources (local trust logins, no Redis password, no proof of work).
// What it starts, in order, is in README.md's first hour; production is `docker compose up`.

const ROOT = resolve(__dirname, '..', '..');
const DIST = process.argv.includes('--dist');
const env: NodeJS.ProcessEnv = { ...process.env };
const write = (line: string): void => void process.stdout.write(`${line}\n`);
const say = (line: string): void => write(`dev:stack | ${line}`);

const DATA = resolve(ROOT, env.SORI_DATA_DIR || '.sori-data');
env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/sori';
env.REDIS_URL ||= 'redis://127.0.0.1:6379';
env.PUBLIC_HOST ||= '127.0.0.1';
env.PUBLIC_PORT ||= '8080';
env.REVIEW_PORT ||= '8081';
env.INTAKE_SECRET_KEY_FILE ||= join(DATA, 'keys', 'intake-key.json');
env.WORKER_KEY_FILE ||= join(DATA, 'keys', 'worker-key.json');
const userSet = (name: string): boolean => Boolean(process.env[name]);

/** Node with the TypeScript loader, or the build in dist/ (--dist, after npm run build). */
const entry = (ts: string): string[] =>
  DIST ? [join('dist', ts.replace(/\.ts$/, '.js'))] : ['-r', '@swc-node/register', ts];

const children: Child[] = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('stopping…');
    for (const c of [...children].reverse()) c.stop();
    await Promise.all(children.map((c) => c.exited));
    await stub?.close();
    say(code === 0 ? 'stopped.' : 'stopped after an error (above).');
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

let stub: { url: string; close(): Promise<void> } | undefined;

/** LIBRETRANSLATE_URL set: that one. Else the stand-in from tests/support (not --dist). */
async function translator(): Promise<string> {
  if (userSet('LIBRETRANSLATE_URL')) {
    env.TRANSLATOR ||= 'libretranslate';
    return `LibreTranslate at ${env.LIBRETRANSLATE_URL}`;
  }
  if (env.TRANSLATOR === 'none' || DIST) {
    env.TRANSLATOR = 'none';
    return 'none (records say "not translated"; set LIBRETRANSLATE_URL for a real one)';
  }
  const { startLibreTranslateStub } = await import('../../tests/support/libretranslate-stub');
  stub = await startLibreTranslateStub();
  env.TRANSLATOR = 'libretranslate';
  env.LIBRETRANSLATE_URL = stub.url;
  return 'the test stand-in ("[en] " + text; set LIBRETRANSLATE_URL for a real LibreTranslate)';
}

async function waitReady(url: string): Promise<void> {
  for (;;) {
    const dead = children.find((c) => c.process.exitCode !== null);
    if (dead) throw new Error(`${dead.name} stopped during start-up; its message is above`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

const reviewUrl = (): string => `http://${env.REVIEW_HOST || '127.0.0.1'}:${env.REVIEW_PORT}`;

function nextCommand(): string {
  const prefix: string[] = [];
  if (userSet('DATABASE_URL')) prefix.push('DATABASE_URL="$DATABASE_URL"');
  if (reviewUrl() !== 'http://127.0.0.1:8081') prefix.push(`SORI_SERVER=${reviewUrl()}`);
  return [...prefix, 'npm run -s sori -- admin init --name alice'].join(' ');
}

async function main(): Promise<void> {
  const t = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const started = Date.now();
  say(`data directory ${DATA} (worker keys; delete it to start over)`);
  if (!userSet('DATABASE_URL') || !userSet('REDIS_URL'))
    await runStep('services', ['scripts/ensure-services.sh', '--stack'], env, ROOT, write, 'bash');
  await runStep('migrate', [...entry('sql/migrate.main.ts'), '--create'], env, ROOT, write);
  mkdirSync(join(DATA, 'keys'), { recursive: true, mode: 0o700 });
  await runStep(
    'keys',
    [...entry('worker/keygen.main.ts'), join(DATA, 'keys'), '--if-missing'],
    env,
    ROOT,
    write,
  );
  if (!DIST || !existsSync(join(ROOT, 'public', 'assets', 'app.js')))
    await runStep('page', ['-r', '@swc-node/register', 'browser/build.ts'], env, ROOT, write);
  say(`translator: ${await translator()}`);

  const worker = startChild('worker', entry('worker/main.ts'), env, ROOT, write);
  children.push(worker);
  children.push(startChild('server', entry('server/main.ts'), env, ROOT, write));
  for (const c of children)
    void c.exited.then((code) => {
      if (!stopping) {
        say(`${c.name} exited (${code}); stopping the rest`);
        void stopAll(1);
      }
    });
  const source = `http://${env.PUBLIC_HOST}:${env.PUBLIC_PORT}/`;
  await waitReady(`${source}readyz`);
  // Up means the worker too: it takes jobs only once its first sanitiser jail has started.
  while (!/worker\.started/.test(worker.output())) await new Promise((r) => setTimeout(r, 100));
  write('');
  say(`Sori is up (${t(Date.now() - started)}).`);
  say(`  source page:  ${source}`);
  say(`  review API:   ${reviewUrl()} (this machine only)`);
  say('Next, the first reviewer, in another terminal:');
  say(`  ${nextCommand()}`);
  if (userSet('DATABASE_URL')) say('  (with the same DATABASE_URL exported there)');
  say('Ctrl-C stops everything.');
  write('');
}

main().catch((err: unknown) => {
  say(err instanceof Error ? err.message : String(err));
  void stopAll(1);
});
