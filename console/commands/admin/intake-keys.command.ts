import type { Command } from 'commander';
import { contextOf } from '../../context';
import { renderTable } from '../../render/table';

export function registerAdminIntakeKeys(admin: Command): void {
  admin
    .command('intake-keys')
    .description('list intake keys and their state')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const res = await (
        await ctx.api()
      ).get<{ keys?: Array<Record<string, unknown>> } | Array<Record<string, unknown>>>(
        '/v1/admin/intake-keys',
      );
      const keys = Array.isArray(res) ? res : (res.keys ?? []);
      ctx.emit({ keys }, () =>
        renderTable(
          keys,
          ['id', 'status', 'fingerprint', 'createdOn'].map((k) => ({
            header: k.toUpperCase(),
            value: (r: Record<string, unknown>) => String(r[k] ?? ''),
          })),
        ),
      );
    });
}
