import type { Command } from 'commander';
import { contextOf } from '../../context';
import { findReviewer } from '../../reviewers';

export function registerAdminRevoke(admin: Command): void {
  admin
    .command('revoke')
    .description('revoke a reviewer at once (sessions end, no new records)')
    .argument('<reviewer>', 'reviewer name or id')
    .action(async (who: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const api = await ctx.api();
      const r = await findReviewer(api, who);
      await api.post(`/v1/admin/reviewers/${encodeURIComponent(r.id)}/revoke`);
      ctx.emit({ revoked: r.id, name: r.name }, () => `Revoked ${r.name} (${r.id}).`);
    });
}
