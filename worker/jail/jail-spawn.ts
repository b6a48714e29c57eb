import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// The one way anything is started in a jail: bubblewrap with every namespace unshared, then
// prlimit inside it, then node. What each flag shuts out: README.md.

/** The scratch tmpfs inside the jail. */
export const SCRATCH = '/scratch';

export interface JailLimits {
  /** RLIMIT_AS: the process's address space (MiB). */
  memoryMb: number;
  /** RLIMIT_CPU: CPU seconds (SIGXCPU, then SIGKILL a second later). */
  cpuSeconds: number;
  /** RLIMIT_FSIZE and the scratch tmpfs's size (MiB). */
  fileMb: number;
  /** RLIMIT_NOFILE. */
  openFiles: number;
  /** RLIMIT_NPROC: processes and threads in the jail's user namespace. */
  processes: number;
}

export const DEFAULT_LIMITS: JailLimits = {
  memoryMb: 8192,
  cpuSeconds: 300,
  fileMb: 1024,
  openFiles: 256,
  processes: 128,
};

const BWRAP = '/usr/bin/bwrap';
const ETC = ['/etc/alternatives', '/etc/ld.so.cache'];
const NOBODY = 65534;
const PRLIMIT = '/usr/bin/prlimit';

/** The directory holding worker/, core/ and crypto/ (the repo, or dist/ when built). */
const CODE_ROOT = resolve(__dirname, '../..');

function nodeModules(): string {
  for (let dir = CODE_ROOT; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules');
    if (dirname(dir) === dir) throw new Error('JAIL_NO_NODE_MODULES');
  }
}

/** /lib, /lib64, /bin, /sbin: the same symlink into /usr as on the host, or a read-only bind. */
function rootLinks(): string[] {
  const args: string[] = [];
  for (const p of ['/lib', '/lib64', '/lib32', '/bin', '/sbin']) {
    if (!existsSync(p)) continue;
    if (lstatSync(p).isSymbolicLink()) args.push('--symlink', readlinkSync(p), p);
    else args.push('--ro-bind', p, p);
  }
  return args;
}

/** The V8 heap cap: a quarter of the address space, at most 1 GiB. */
const heapMb = (limits: JailLimits) => Math.min(1024, Math.floor(limits.memoryMb / 4));

export function bwrapArgs(entry: string, limits: JailLimits): string[] {
  const ro = (p: string) => (existsSync(p) ? ['--ro-bind', p, p] : []);
  const mods = nodeModules();
  const code = ['worker', 'core', 'crypto', 'package.json', 'tsconfig.json'].map((n) =>
    join(CODE_ROOT, n),
  );
  const entryDir = dirname(entry);
  const covered = ['worker', 'core', 'crypto'].some((d) =>
    `${entryDir}/`.startsWith(`${join(CODE_ROOT, d)}/`),
  );
  const node = process.execPath;
  const prlimit = [
    `--as=${limits.memoryMb * 1024 * 1024}`,
    `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`,
    `--fsize=${limits.fileMb * 1024 * 1024}`,
    `--nofile=${limits.openFiles}`,
    `--nproc=${limits.processes}`,
    '--core=0',
  ];
  // TypeScript sources (tests, `npm run` scripts) are compiled on load by swc, as outside.
  const loader = entry.endsWith('.ts') ? ['-r', '@swc-node/register'] : [];
  return [
    '--unshare-all',
    '--unshare-user',
    '--uid',
    String(NOBODY),
    '--gid',
    String(NOBODY),
    '--hostname',
    'jail',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    '--clearenv',
    ...[
      'PATH=/usr/bin:/bin',
      `HOME=${SCRATCH}`,
      `TMPDIR=${SCRATCH}`,
      'LANG=C.UTF-8',
      'MALLOC_ARENA_MAX=2',
    ].flatMap((kv) => ['--setenv', ...kv.split('=')]),
    '--ro-bind',
    '/usr',
    '/usr',
    ...rootLinks(),
    // Of the host's /etc only what the dynamic linker reads: Debian's alternatives symlinks
    // (ffmpeg's libblas.so.3 resolves through them) and the library cache. No passwd, no hosts.
    ...ETC.flatMap(ro),
    ...(node.startsWith('/usr/') ? [] : ro(node)),
    ...code.flatMap(ro),
    ...ro(mods),
    ...(covered ? [] : ro(entryDir)),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--size',
    String(limits.fileMb * 1024 * 1024),
    '--tmpfs',
    SCRATCH,
    // The jail's root and /dev are tmpfs of its own; read-only, so /scratch is the one place
    // it can write.
    '--remount-ro',
    '/dev',
    '--remount-ro',
    '/',
    '--chdir',
    CODE_ROOT,
    '--',
    PRLIMIT,
    ...prlimit,
    '--',
    node,
    // WASM (mupdf) would reserve 10 GiB of address space per memory for its trap handler; with
    // bounds checks instead it fits under RLIMIT_AS. V8 reserves address space in proportion to
    // its heap cap (about 2.5 GiB for a 1 GiB heap, idle): the rest of RLIMIT_AS is for file
    // buffers and the native decoders, and a runaway heap is a clean V8 out-of-memory.
    '--disable-wasm-trap-handler',
    `--max-old-space-size=${heapMb(limits)}`,
    ...loader,
    entry,
  ];
}

/**
 * Under root, jails start as nobody, who must be able to walk down to the code and node_modules
 * to bind them: the first folder on the way that others may not enter, or null. (bwrap cannot
 * bind from a descriptor instead: as nobody it may not open /proc/self/fd either.)
 */
export function closedToNobody(): string | null {
  if (process.getuid?.() !== 0) return null;
  for (const target of [CODE_ROOT, nodeModules()]) {
    for (let dir = dirname(target); ; dir = dirname(dir)) {
      if ((statSync(dir).mode & 0o001) === 0) return dir;
      if (dirname(dir) === dir) break;
    }
  }
  return null;
}

export function spawnJail(entry: string, limits: JailLimits = DEFAULT_LIMITS): ChildProcess {
  return spawn(BWRAP, bwrapArgs(entry, limits), {
    // Nothing of the worker's environment reaches bwrap either (--clearenv is a second lock).
    env: { PATH: '/usr/bin:/bin' },
    stdio: ['pipe', 'pipe', 'pipe'],
    // A worker running as root starts its jails as nobody: the kernel exempts root (even
    // mapped into a user namespace) from RLIMIT_NPROC, and nobody owns no file worth reading.
    ...(process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {}),
  });
}

/** The sanitiser child's entry point, compiled or not. */
export const CHILD_ENTRY = join(
  __dirname,
  __filename.endsWith('.ts') ? 'jail-child.main.ts' : 'jail-child.main.js',
);
