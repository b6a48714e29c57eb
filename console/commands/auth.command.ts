import type { Command } from 'commander';
import { contextOf } from '../context';
import { isApiError } from '../errors';
import { clearSession, loadSession, login, type Reviewer } from '../session';
import { renderPairs } from '../render/table';
import { say } from '../messages-ko';

const who = (r: Reviewer, extra: Array<[string, string]> = []): string =>
  renderPairs([['name', r.name], ['id', r.id], ['role', r.role], ...extra]);

export function registerAuth(program: Command): void {
  program
    .command('login')
    .description('sign a login challenge with your key and cache the session token')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const s = await login(ctx.server, await ctx.unlock());
      ctx.emit({ reviewer: s.reviewer, expiresAt: s.expiresAt, server: s.server }, () =>
        say('Logged in to {server} as {name} ({role}) until {until}.', {
          server: s.server,
          name: s.reviewer.name,
          role: s.reviewer.role,
          until: s.expiresAt,
        }),
      );
    });

  program
    .command('whoami')
    .description('show who the server knows you as')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const me = await (await ctx.api()).get<Reviewer & Record<string, unknown>>('/v1/me');
      const s = await ctx.currentSession();
      ctx.emit({ ...me, expiresAt: s.expiresAt, server: ctx.server }, () =>
        who(me, [
          [say('server'), ctx.server],
          [say('session until'), s.expiresAt],
        ]),
      );
    });

  program
    .command('logout')
    .description('end the session on the server and forget the cached token')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      if (loadSession(ctx.server)) {
        try {
          await (await ctx.api()).delete('/v1/auth/session');
        } catch (err) {
          // An expired or revoked session is already what logout wants.
          if (!isApiError(err) || err.status !== 401) throw err;
        }
      }
      clearSession();
      ctx.emit({ loggedOut: true }, () => say('Logged out.'));
    });
}
