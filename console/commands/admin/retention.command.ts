import type { Command } from 'commander';
import { RECORD_STATUSES } from '../../api-types';
import { contextOf } from '../../context';
import { ConsoleError } from '../../errors';
import { renderTable } from '../../render/table';

interface Policy {
  status: string;
  days: number;
}

function parsePolicies(sets: string[]): Policy[] {
  return sets.map((s) => {
    const m = /^([a-z-]+)=(\d+)$/.exec(s);
    if (!m || !(RECORD_STATUSES as readonly string[]).includes(m[1]!) || Number(m[2]) < 1) {
      throw new ConsoleError(
        'BAD_RETENTION',
        `--set takes status=days with a status among ${RECORD_STATUSES.join(', ')}`,
      );
    }
    return { status: m[1]!, days: Number(m[2]) };
  });
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerAdminRetention(admin: Command): void {
  admin
    .command('retention')
    .description('show or set how long records are kept per status, or run the deletion now')
    .option(
      '--set <status=days>',
      'keep records of this status this many days (repeatable)',
      collect,
    )
    .option('--run', 'delete what is past its retention now')
    .action(async (o: { set?: string[]; run?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const api = await ctx.api();
      const changes = parsePolicies(o.set ?? []);
      let policies = (await api.get<{ policies: Policy[] }>('/v1/admin/retention')).policies;
      if (changes.length) {
        const merged = new Map(policies.map((p) => [p.status, p.days]));
        for (const c of changes) merged.set(c.status, c.days);
        policies = [...merged].map(([status, days]) => ({ status, days }));
        policies =
          (await api.put<{ policies: Policy[] }>('/v1/admin/retention', { policies })).policies ??
          policies;
      }
      const run = o.run
        ? await api.post<Record<string, unknown>>('/v1/admin/retention/run')
        : undefined;
      ctx.emit({ policies, ...(run ? { run } : {}) }, () =>
        [
          policies.length
            ? renderTable(policies, [
                { header: 'STATUS', value: (p) => p.status },
                { header: 'DAYS', value: (p) => String(p.days) },
              ])
            : 'No retention policy: records are kept.',
          ...(run ? [`Retention run deleted ${String(run.deleted ?? 0)} record(s).`] : []),
        ].join('\n'),
      );
    });
}
