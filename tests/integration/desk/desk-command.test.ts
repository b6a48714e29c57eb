import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { raw } from './desk-http';

// `sori desk` as a reviewer starts it: it prints one address with a one-time token, serves on
// 127.0.0.1 only, and stops (locking) on SIGTERM.

const ROOT = join(__dirname, '..', '..', '..');

describe('sori desk, the command', () => {
  it('prints a one-time loopback address, serves it, and stops cleanly', async () => {
    const home = mkdtempSync(join(tmpdir(), 'sori-desk-cmd-'));
    const child = spawn(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        'console/main.ts',
        '--server',
        'http://127.0.0.1:9',
        'desk',
        '--no-open',
        '--idle',
        '90s',
      ],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', SORI_HOME: home, NODE_ENV: 'test' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString('utf8');
          const m = /Sori desk: (http:\/\/127\.0\.0\.1:\d+\/open\?token=[A-Za-z0-9_%-]+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`sori desk exited ${code}: ${out}`)));
      });
      const origin = new URL(url).origin;
      const first = await raw(origin, 'GET', url.slice(origin.length));
      expect(first.status).toBe(303);
      expect(String(first.headers['set-cookie'])).toMatch(
        /^sori_desk=[^;]+; Path=\/; HttpOnly; SameSite=Strict$/,
      );
      expect((await raw(origin, 'GET', url.slice(origin.length))).status).toBe(403);
      const cookie = String(first.headers['set-cookie']).split(';')[0]!;
      const k = /#k=([A-Za-z0-9_-]+)$/.exec(String(first.headers.location))![1]!;
      const state = (await raw(origin, 'GET', '/api/state', { cookie, 'x-sori-desk': k })).json<{
        unlocked: boolean;
        idleSeconds: number;
      }>();
      expect(state).toMatchObject({ unlocked: false, idleSeconds: 90 });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      rmSync(home, { recursive: true, force: true });
    }
  });
});
