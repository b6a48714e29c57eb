import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { contextOf } from '../context';
import { startDesk } from '../desk/app';
import { ConsoleError } from '../errors';
import { say } from '../messages-ko';

// `sori desk`: the console with a face, for a reviewer's working day. It serves a page on this
// machine only and stays in the foreground; Ctrl-C locks and stops it.

export function parseIdle(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m)?$/.exec(value.trim());
  const ms = m ? Number(m[1]) * (m[2] === 's' ? 1000 : 60_000) : NaN;
  if (!Number.isFinite(ms) || ms < 1000 || ms > 24 * 3_600_000)
    throw new ConsoleError(
      'BAD_IDLE',
      '--idle takes minutes (15) or seconds (90s), between 1 second and 24 hours',
    );
  return ms;
}

function tryToOpen(url: string): void {
  // Best effort: a desktop opens its browser; a headless machine has no xdg-open, and the
  // address printed above is enough.
  try {
    const child = spawn('xdg-open', [url], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // nothing to open with
  }
}

export function registerDesk(program: Command): void {
  program
    .command('desk')
    .description(
      'open the reviewer desk: a local web page to read and work on cases (this machine only)',
    )
    .option(
      '--idle <time>',
      'lock after this long without use: minutes, or seconds with s (90s)',
      process.env.SORI_DESK_IDLE || '15',
    )
    .option('--port <n>', 'port on 127.0.0.1 (default: any free port)', '0')
    .option('--no-open', 'only print the address; do not start a browser')
    .action(async (o: { idle: string; port: string; open: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new ConsoleError('BAD_PORT', '--port is a number from 0 to 65535');
      const desk = await startDesk({
        server: ctx.server,
        keyPath: ctx.keyPath,
        idleMs: parseIdle(o.idle),
        port,
      });
      ctx.emit({ url: desk.openUrl }, () =>
        [
          say('Sori desk: {url}', { url: desk.openUrl }),
          say(
            'Open this address in your browser (it works once). The desk runs until you press Ctrl-C.',
          ),
        ].join('\n'),
      );
      if (o.open) tryToOpen(desk.openUrl);
      await new Promise<void>((resolve) => {
        const stop = () => void desk.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
