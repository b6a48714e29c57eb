import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { stopExiftool } from '../../../worker/sanitise/exiftool';
import { makeMp3, makeOther } from '../../fixtures/make-media';
import { buildDocx } from '../../fixtures/make-office';
import { makePdf } from '../../fixtures/make-pdf';
import { makeDirs } from '../../fixtures/make-sanitise-context';
import { JailUnavailable } from '../../../worker/jail/jail';
import { JailPool } from '../../../worker/jail/jail-pool';
import { JailSession } from '../../../worker/jail/jail-session';
import { createJailSandbox } from '../../../worker/jail/sandbox';
import { DEFAULT_LIMITS } from '../../../worker/jail/jail-spawn';

// Jails between submissions, with real bubblewrap processes: two submissions at once never
// share a jail (namespaces, processes and scratch all differ), a jail is never handed to a
// second submission, and a sandbox that cannot start a jail says so instead of running.

jest.setTimeout(120_000);

const PROBE = join(resolve(__dirname, '../../..'), 'tests/support/jail-probe.ts');
const limits = { ...DEFAULT_LIMITS, memoryMb: 6144 };
const session = { deadlineMs: 30_000, maxOutputBytes: 16 * 1024 * 1024 };

interface Whoami {
  namespaces: string[];
  scratch: string[];
}

async function whoami(s: JailSession): Promise<Whoami> {
  const r = await s.sanitise(Buffer.from('PROBE whoami null'), { name: 'a', type: '' });
  if (r.status !== 'unsanitised' || r.reason !== 'PROBE_DONE') throw new Error('no answer');
  return JSON.parse(r.report.notes![0]!) as Whoami;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('jails and submissions', () => {
  const pool = new JailPool({ entry: PROBE, limits, startMs: 60_000 }, 2);
  afterAll(() => pool.close());

  it('two submissions at the same time get different jails: namespaces, PIDs, scratch', async () => {
    await pool.check();
    const a = new JailSession(pool, session);
    const b = new JailSession(pool, session);
    try {
      // Both sessions hold their jails open at once.
      const [ja, jb] = await Promise.all([a.current(), b.current()]);
      expect(ja).not.toBe(jb);
      expect(ja.hostPid).not.toBe(jb.hostPid);
      // Asked while both are alive: each answers from its own jail.
      const [wa, wb] = await Promise.all([whoami(a), whoami(b)]);
      for (const ns of ['pid', 'net', 'mnt', 'user', 'ipc']) {
        const of = (w: Whoami) => w.namespaces.find((n) => n.startsWith(`${ns}:`));
        expect(of(wa)).toBeDefined();
        expect(of(wa)).not.toBe(of(wb));
      }
      for (const w of [wa, wb]) expect(w.scratch).toHaveLength(1); // its own dir, nothing else
      expect(wa.scratch[0]).not.toBe(wb.scratch[0]);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it('destroys a submission’s jails after it, and never hands one to the next', async () => {
    const first = new JailSession(pool, session);
    const jail = await first.current();
    const pid = jail.hostPid!;
    expect(alive(pid)).toBe(true);
    await first.end();
    expect(alive(pid)).toBe(false);
    const next = new JailSession(pool, session);
    try {
      expect((await next.current()).hostPid).not.toBe(pid);
    } finally {
      await next.end();
    }
  });

  it('files of every kind through the real sanitiser jail come back clean, types checked', async () => {
    const sandbox = createJailSandbox({ poolSize: 1, limits, session });
    const dirs = makeDirs();
    try {
      await sandbox.start();
      const png = await sharp({
        create: { width: 8, height: 8, channels: 3, background: { r: 1, g: 2, b: 3 } },
      })
        .png()
        .toBuffer();
      // One of each path: libvips, mupdf, the office cleaner, ffmpeg/ffprobe, the native
      // remuxer, the text sanitiser; exiftool re-reads every output.
      const files: Array<[string, Buffer, string]> = [
        ['x.png', png, 'png'],
        ['x.pdf', readFileSync((await makePdf(dirs.fixtures)).path), 'pdf'],
        ['x.docx', await buildDocx(), 'docx'],
        ['x.ogg', await makeOther(dirs.fixtures, 'ogg'), 'ogg'],
        ['x.wav', await makeOther(dirs.fixtures, 'wav'), 'wav'],
        ['x.mp3', await makeMp3(dirs.fixtures), 'mp3'],
        ['x.txt', Buffer.from('증언\n'), 'txt'],
      ];
      const results = await sandbox.session(async (s) => {
        const out = [];
        for (const [name, data] of files) out.push(await s.sanitise(data, { name, type: '' }));
        return out;
      });
      expect(results.map((r) => (r.status === 'clean' ? r.extension : r.reason))).toEqual(
        files.map(([, , ext]) => ext),
      );
    } finally {
      await sandbox.close();
      await stopExiftool();
      dirs.cleanup();
    }
  });

  it('a sandbox that cannot start a jail refuses, saying why', async () => {
    const broken = createJailSandbox({
      poolSize: 1,
      limits,
      session,
      entry: '/nonexistent/jail-child.main.js',
    });
    await expect(broken.start()).rejects.toBeInstanceOf(JailUnavailable);
    await broken.close();
  });
});
