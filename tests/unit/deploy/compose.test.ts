import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../../..');
const hasCompose = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;

describe('docker-compose.yml', () => {
  (hasCompose ? it : it.skip)('is valid for docker-compose config -q', () => {
    expect(() =>
      execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], {
        cwd: root,
        stdio: 'pipe',
      }),
    ).not.toThrow();
  });

  const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
  const service = (name: string) => {
    const start = text.indexOf(`\n  ${name}:\n`);
    const rest = text.slice(start + 1);
    const end = rest.slice(1).search(/\n {2}[a-z-]+:\n|\n[a-z]/);
    return rest.slice(0, end === -1 ? undefined : end + 1);
  };

  it('keeps the worker on the internal network only, with its keys read-only', () => {
    const worker = service('worker');
    expect(worker).toMatch(/networks: \[backend\]/);
    expect(worker).not.toMatch(/ports:/);
    expect(worker).toMatch(/workerkeys:\/keys:ro/);
    expect(text).toMatch(/backend:\n\s+internal: true/);
  });

  it('lets the worker start bubblewrap jails, with no capability and no opt-out', () => {
    const worker = service('worker');
    // Jails are unprivileged user namespaces: the worker keeps no capability at all.
    expect(worker).toMatch(/cap_drop: \[ALL\]/);
    expect(worker).toMatch(/- no-new-privileges:true/);
    // What Docker's defaults would refuse a jail: namespaces and mount (seccomp, AppArmor), and
    // a /proc of its own (masked paths).
    for (const opt of ['seccomp=unconfined', 'apparmor=unconfined', 'systempaths=unconfined'])
      expect(worker).toContain(`- ${opt}`);
    expect(worker).toMatch(/pids_limit: \d+/);
    expect(worker).toMatch(/mem_limit: \S+/);
    // The development-only opt-out is never set in the deployment.
    expect(text).not.toMatch(/SANDBOX: *'?none/);
    // Only the worker is given these: the public server keeps Docker's profiles.
    expect(service('server')).not.toMatch(/unconfined/);
  });

  it('publishes the review API on loopback only', () => {
    expect(service('server')).toMatch(/'127\.0\.0\.1:8081:8081'/);
  });

  it('gives the translation engine, which reads plaintext, no route out', () => {
    const engine = service('libretranslate');
    expect(engine).toMatch(/networks: \[backend\]/);
    expect(engine).toMatch(/LT_UPDATE_MODELS: 'false'/);
    expect(engine).toMatch(
      /libretranslate-models: \{ condition: service_completed_successfully \}/,
    );
    // Only the one-shot model download, which never receives testimony, may reach out.
    const fetcher = service('libretranslate-models');
    expect(fetcher).toMatch(/networks: \[models\]/);
    expect(fetcher).toMatch(/restart: 'no'/);
    expect(fetcher).toMatch(
      /image: &libretranslate-image libretranslate\/libretranslate:v[\d.]+@sha256:[0-9a-f]{64}\n/,
    );
    expect(engine).toMatch(/image: \*libretranslate-image\n/);
    const outside = [...text.matchAll(/networks: \[([^\]]*)\]/g)].filter(([, n = '']) =>
      /models/.test(n),
    );
    expect(outside).toHaveLength(1);
  });

  it('pins every third-party image to a release, never latest', () => {
    const images = [...text.matchAll(/image: (?:&\S+ )?(\S+)\n/g)].map(([, i]) => i);
    expect(images.length).toBeGreaterThan(4);
    for (const image of images) expect(image).not.toMatch(/:latest$/);
  });

  it('runs Redis with AOF and noeviction, and LibreTranslate with ko, ru, en', () => {
    expect(service('redis')).toMatch(/--appendonly', 'yes', '--maxmemory-policy', 'noeviction'/);
    expect(service('libretranslate')).toMatch(/LT_LOAD_ONLY: ko,ru,en/);
  });
});
