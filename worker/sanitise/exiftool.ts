import { ExifTool } from 'exiftool-vendored';
import { randomUUID } from 'node:crypto';
import { unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SanitiseContext } from './types';

// One exiftool process for the whole worker (or jail). It keeps state between calls, so every
// call states every option (readAllTags/writeTags) and MWG is off. See FORMATS.md.
let instance: ExifTool | undefined;

export function startExiftool(): ExifTool {
  instance ??= new ExifTool({ maxProcs: 1, taskTimeoutMillis: 60_000, useMWG: false });
  return instance;
}

/** exiftool with `args` on `path`, every task option stated (see above); no MWG, no struct. */
export async function writeTags(path: string, args: string[]): Promise<void> {
  await startExiftool().write(path, {}, args, {
    useMWG: false,
    struct: 0,
    ignoreMinorErrors: false,
  });
}

export async function stopExiftool(): Promise<void> {
  const current = instance;
  instance = undefined;
  if (current) await current.end();
}

export type RawTags = Record<string, unknown>;

/** Every tag exiftool finds, grouped as `-a -G0:1 -ee3 -u`; binary values are not dumped. */
export async function readAllTags(path: string): Promise<RawTags> {
  const { errors, warnings, ...tags } = (await startExiftool().readRaw(path, {
    readArgs: ['-a', '-G0:1', '-ee3', '-u', '-api', 'LargeFileSupport=1'],
    useMWG: false, // no MWG composite tags: we want what is in the file, nothing derived
    ignoreMinorErrors: false,
  })) as RawTags & { errors?: unknown[]; warnings?: unknown[] };
  // A file exiftool cannot fully parse cannot be declared clean: surface errors as a tag.
  if (Array.isArray(errors) && errors.length > 0) tags['ExifTool:Error'] = true;
  void warnings;
  return tags;
}

/**
 * Runs `fn` on a copy of `data` written to the private tmpfs dir (mode 0600), then unlinks it,
 * whatever happens: plaintext never outlives the call, and never touches a real disk.
 */
export async function withTmpFile<T>(
  ctx: SanitiseContext,
  data: Buffer,
  ext: string,
  fn: (path: string) => Promise<T>,
): Promise<T> {
  const path = join(ctx.tmpDir, `${randomUUID()}.${ext}`);
  try {
    await writeFile(path, data, { mode: 0o600, flag: 'wx' });
    return await fn(path);
  } finally {
    await unlink(path).catch(() => undefined);
    // Leftovers of an exiftool write: its temp file if it died mid-write, the backup if a
    // caller forgot -overwrite_original. Both hold plaintext.
    await unlink(`${path}_exiftool_tmp`).catch(() => undefined);
    await unlink(`${path}_original`).catch(() => undefined);
  }
}
