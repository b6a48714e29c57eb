import type { Command } from 'commander';
import { contextOf } from '../../context';
import { renderTable } from '../../render/table';
import { listReviewers } from '../../reviewers';

export function registerAdminReviewers(admin: Command): void {
  admin
    .command('reviewers')
    .description('list enrolled reviewers')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const reviewers = await listReviewers(await ctx.api());
      ctx.emit({ reviewers }, () =>
        renderTable(reviewers, [
          { header: 'NAME', value: (r) => r.name },
          { header: 'ID', value: (r) => r.id },
          { header: 'ROLE', value: (r) => r.role },
          { header: 'ENROLLED', value: (r) => r.enrolledOn ?? '' },
          { header: 'REVOKED', value: (r) => r.revokedOn ?? '' },
        ]),
      );
    });
}
