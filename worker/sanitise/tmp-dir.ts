import { chmod, mkdtemp, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { SanitiseContext } from './types';

const TMPFS_MAGIC = 0x01021994;

/**
 * Runs `fn` with a fresh private directory (0700) on tmpfs, removed afterwards whatever happens.
 * Tools that need files get this one: decrypted testimony must never reach a real disk, so if
 * /dev/shm is missing or not tmpfs the worker refuses rather than fall back to /tmp.
 */
export async function withSanitiseTmpDir<T>(
  fn: (ctx: SanitiseContext) => Promise<T>,
  root = '/dev/shm',
): Promise<T> {
  const fs = await statfs(root).catch(() => undefined);
  if (fs === undefined || fs.type !== TMPFS_MAGIC) throw new SanitiseTmpError();
  const tmpDir = await mkdtemp(join(root, 'sori-sanitise-'));
  try {
    await chmod(tmpDir, 0o700);
    return await fn({ tmpDir });
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
}

export class SanitiseTmpError extends Error {
  readonly code = 'NO_TMPFS';
  constructor() {
    super('NO_TMPFS');
  }
}
