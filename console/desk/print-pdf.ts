import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { DeskError } from './desk-error';

// The case file as PDF, printed by a headless Chromium over the DevTools pipe, never through a
// file; its profile lives in /dev/shm and is removed afterwards.

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath(): string | null {
  const wanted = process.env.SORI_CHROMIUM;
  if (wanted) return existsSync(wanted) ? wanted : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

interface Reply {
  id?: number;
  result?: Record<string, unknown>;
  error?: { message: string };
}

export async function printPdf(html: string, timeoutMs = 60_000): Promise<Buffer> {
  const exe = chromiumPath();
  if (!exe)
    throw new DeskError(
      'DESK_PDF_UNAVAILABLE',
      501,
      'No Chromium on this machine: print the case file from the browser instead',
    );
  // The profile holds the decrypted case file while Chromium works: memory or nothing.
  if (!existsSync('/dev/shm'))
    throw new DeskError(
      'DESK_PDF_UNAVAILABLE',
      501,
      'This machine has no memory-backed folder for the printer: print the case file from the browser instead',
    );
  const profile = mkdtempSync(join('/dev/shm', 'sori-pdf-'));
  const child = spawn(
    exe,
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--remote-debugging-pipe',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    // Its own process group: the helpers Chromium forks are killed with it, so none is left
    // writing into the profile after it is removed.
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'], detached: true },
  );
  const killAll = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL'); // the group is gone already
    }
  };
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  const pending = new Map<number, (r: Reply) => void>();
  // Messages are NUL-separated JSON; bytes are joined before decoding so that a character split
  // across two reads stays whole.
  let buffered = Buffer.alloc(0);
  fromBrowser.on('data', (d: Buffer) => {
    buffered = Buffer.concat([buffered, d]);
    let nul: number;
    while ((nul = buffered.indexOf(0)) >= 0) {
      const text = buffered.subarray(0, nul).toString('utf8');
      buffered = buffered.subarray(nul + 1);
      let msg: Reply;
      try {
        msg = JSON.parse(text) as Reply;
      } catch {
        continue;
      }
      if (msg.id !== undefined) pending.get(msg.id)?.(msg);
    }
  });
  // A browser that dies mid-way must fail this print, not the desk.
  const failed = new Promise<never>((_, reject) => {
    const fail = (why: string) => () => reject(new Error(why));
    child.once('error', fail('Chromium did not start'));
    child.once('exit', fail('Chromium exited'));
    toBrowser.on('error', fail('the pipe to Chromium broke'));
    fromBrowser.on('error', fail('the pipe from Chromium broke'));
  });
  failed.catch(() => undefined);
  let next = 0;
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = ++next;
      pending.set(id, (r) =>
        r.error ? reject(new Error(r.error.message)) : resolve(r.result ?? {}),
      );
      toBrowser.write(
        JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0',
      );
    });
  const timer = setTimeout(killAll, timeoutMs);
  try {
    const work = (async () => {
      const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as {
        sessionId: string;
      };
      await send('Emulation.setScriptExecutionDisabled', { value: true }, sessionId);
      const tree = (await send('Page.getFrameTree', {}, sessionId)) as {
        frameTree: { frame: { id: string } };
      };
      await send('Page.setDocumentContent', { frameId: tree.frameTree.frame.id, html }, sessionId);
      const { data } = (await send(
        'Page.printToPDF',
        { printBackground: true, preferCSSPageSize: true },
        sessionId,
      )) as { data: string };
      return Buffer.from(data, 'base64');
    })();
    return await Promise.race([work, failed]);
  } catch (err) {
    throw new DeskError(
      'DESK_PDF_FAILED',
      502,
      `Chromium could not print the case file (${(err as Error).message})`,
    );
  } finally {
    clearTimeout(timer);
    killAll();
    await new Promise((r) =>
      child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r),
    );
    rmSync(profile, { recursive: true, force: true });
  }
}
