import { readFileSync } from 'node:fs';
import { initCrypto } from '../../../crypto';
import { JailPool } from '../../../worker/jail/jail-pool';
import { JailSession } from '../../../worker/jail/jail-session';
import { CHILD_ENTRY, DEFAULT_LIMITS } from '../../../worker/jail/jail-spawn';
import { ffmpegTo } from '../../fixtures/make-media';
import { makeDirs } from '../../fixtures/make-sanitise-context';

// A large audio file streamed through the jail keeps memory flat on both sides of the boundary:
// 256 MiB of MP3 frames go in (first pass, then the passes the jail asks for) and out, while
// neither the worker's RSS nor the jail's peak RSS grows by more than a fraction of that.

jest.setTimeout(300_000);

const SIZE = 256 * 1024 * 1024;
const GROWTH = 96 * 1024 * 1024;

/** Host PIDs of a process's descendants (the node inside bwrap's PID namespace). */
function descendants(pid: number): number[] {
  const out: number[] = [];
  for (const task of [pid]) {
    let kids: number[] = [];
    try {
      kids = readFileSync(`/proc/${task}/task/${task}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number);
    } catch {
      kids = [];
    }
    for (const k of kids) out.push(k, ...descendants(k));
  }
  return out;
}

const status = (pid: number, field: string): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) * 1024;
};

test('256 MiB of MP3 through the jail as a stream: memory flat in the worker and the jail', async () => {
  await initCrypto();
  const dirs = makeDirs();
  const pool = new JailPool({ entry: CHILD_ENTRY, limits: DEFAULT_LIMITS, startMs: 60_000 }, 1);
  const session = new JailSession(pool, { deadlineMs: 240_000, maxOutputBytes: 1024 });
  try {
    // Bare MPEG frames (no tags, no Xing header): repeated, they are one long valid stream.
    const frames = ffmpegTo(dirs.fixtures, 'tone.mp3', [
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=4', '-c:a', 'libmp3lame'],
      ...['-b:a', '128k', '-write_xing', '0', '-id3v2_version', '0', '-write_id3v1', '0'],
    ]);
    const copies = Math.floor(SIZE / frames.length);
    const size = copies * frames.length;
    async function* pass(): AsyncGenerator<Buffer> {
      for (let i = 0; i < copies; i++) yield frames;
    }

    const jail = await session.current();
    // The node process inside (bwrap's own two processes carry the same arguments).
    const inner = descendants(jail.hostPid!).find(
      (p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0')[0] === process.execPath,
    )!;
    expect(inner).toBeDefined();
    const jailBefore = status(inner, 'VmRSS');
    global.gc?.();
    const workerBefore = process.memoryUsage().rss;
    let workerPeak = workerBefore;
    let jailPeak = jailBefore;
    const sampler = setInterval(() => {
      workerPeak = Math.max(workerPeak, process.memoryUsage().rss);
      jailPeak = Math.max(jailPeak, status(inner, 'VmRSS'));
    }, 20);

    const stream = session.stream('mp3', size);
    for await (const chunk of pass()) await stream.firstPass.write(chunk);
    await stream.firstPass.end();
    let written = 0;
    let ended = false;
    const result = await stream.finish(pass, () =>
      Promise.resolve({
        write: (c: Buffer) => Promise.resolve(void (written += c.length)),
        end: () => Promise.resolve(void (ended = true)),
        abort: () => undefined,
      }),
    );
    clearInterval(sampler);

    expect(result.status).toBe('clean');
    expect(ended).toBe(true);
    expect(written).toBe(size);
    expect(workerPeak - workerBefore).toBeLessThan(GROWTH);
    expect(jailPeak - jailBefore).toBeLessThan(GROWTH);
  } finally {
    await session.end();
    await pool.close();
    dirs.cleanup();
  }
});
