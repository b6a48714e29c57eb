import type { Command } from 'commander';
import { ILO_INDICATORS, isIloIndicator } from '../../core/questionnaire';
import type { ApiClient } from '../api-client';
import { RECORD_STATUSES, type Backlog, type RecordList, type RecordSummary } from '../api-types';
import { contextOf, type Context } from '../context';
import { normaliseTag, type EntryContent } from '../entries';
import { ConsoleError } from '../errors';
import { openRecord } from '../records';
import { renderTable } from '../render/table';
import { isUnread, loadSeen } from '../seen';
import { say } from '../messages-ko';

// The server can filter only on what it sees (status, language, day, translated); tags are
// encrypted entries, so they are decrypted here and --tag filters on this machine; so are the
// ILO indicators, inside the encrypted record body, for --indicator.

interface ListOptions {
  status?: string;
  language?: string;
  from?: string;
  to?: string;
  tag?: string;
  indicator?: string;
  translated?: boolean;
  limit: string;
}

export type ListedRecord = RecordSummary & { tags: string[]; unread: boolean };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function checkOptions(o: ListOptions): number {
  if (o.status !== undefined && !(RECORD_STATUSES as readonly string[]).includes(o.status)) {
    throw new ConsoleError('BAD_STATUS', `A status is one of ${RECORD_STATUSES.join(', ')}`);
  }
  for (const day of [o.from, o.to]) {
    if (day !== undefined && !DAY.test(day))
      throw new ConsoleError('BAD_DATE', 'Dates are written YYYY-MM-DD');
  }
  if (o.indicator !== undefined && !isIloIndicator(o.indicator))
    throw new ConsoleError('BAD_INDICATOR', `An indicator is one of ${ILO_INDICATORS.join(', ')}`);
  const limit = Number(o.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new ConsoleError('BAD_LIMIT', '--limit must be a positive integer');
  return limit;
}

async function tagsOf(ctx: Context, api: ApiClient, r: RecordSummary): Promise<string[]> {
  if (!r.entryKinds?.tag) return [];
  const opened = await openRecord(api, await ctx.unlock(), r.id);
  const tags = opened.entries
    .map((e) => e.content)
    .filter((c): c is Extract<EntryContent, { kind: 'tag' }> => c.kind === 'tag')
    .map((c) => normaliseTag(c.tag));
  return [...new Set(tags)];
}

async function hasIndicator(
  ctx: Context,
  api: ApiClient,
  r: RecordSummary,
  indicator: string,
): Promise<boolean> {
  const { body } = await openRecord(api, await ctx.unlock(), r.id);
  return (body.indicators ?? []).includes(indicator);
}

export async function listRecords(ctx: Context, o: ListOptions): Promise<ListedRecord[]> {
  const limit = checkOptions(o);
  const api = await ctx.api();
  const wanted = o.tag === undefined ? null : normaliseTag(o.tag);
  const seen = loadSeen();
  const out: ListedRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.get<RecordList>('/v1/records', {
      limit: Math.min(100, limit),
      cursor,
      status: o.status,
      language: o.language,
      from: o.from,
      to: o.to,
      translated: o.translated,
    });
    for (const r of page.records) {
      if (o.indicator !== undefined && !(await hasIndicator(ctx, api, r, o.indicator))) continue;
      const tags = await tagsOf(ctx, api, r);
      if (wanted !== null && !tags.includes(wanted)) continue;
      out.push({ ...r, entryKinds: r.entryKinds ?? {}, tags, unread: isUnread(seen, r) });
      if (out.length >= limit) return out;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/**
 * Why the list is empty when it is: a submission that reached the server before any reviewer
 * was enrolled waits (the worker retries it) until there is one to seal its record to.
 */
export function emptyListText(b: Backlog): string {
  const lines: string[] = [];
  if (!('pending' in b)) {
    return b.notYours
      ? say(
          'No records you can read yet. Records exist that were sealed before you were enrolled: a reviewer who holds them can give you access with sori grant.',
        )
      : say('No records.');
  }
  if (b.pending > 0)
    lines.push(
      say(
        'No records yet: {n} submission(s) are waiting to become records. The worker retries them until a reviewer is enrolled (and running); run sori list again in a minute.',
        { n: b.pending },
      ),
    );
  if (b.notYours > 0)
    lines.push(
      say(
        '{n} record(s) exist that were sealed before you were enrolled: a reviewer who holds them can give you access with sori grant.',
        { n: b.notYours },
      ),
    );
  if (b.failed > 0)
    lines.push(
      say("{n} submission(s) failed processing: an operator should check the worker's log.", {
        n: b.failed,
      }),
    );
  return lines.length > 0 ? lines.join('\n') : say('No records.');
}

export function registerList(program: Command): void {
  program
    .command('list')
    .description('list the records you can read, newest first (* in NEW: not yet shown)')
    .option('--status <status>', `only this status (${RECORD_STATUSES.join(', ')})`)
    .option('--language <code>', 'only this detected language (ko, ru, …)')
    .option('--from <day>', 'received on or after YYYY-MM-DD')
    .option('--to <day>', 'received on or before YYYY-MM-DD')
    .option('--tag <tag>', 'only records with this tag (decrypted and matched locally)')
    .option('--indicator <id>', 'only records showing this ILO indicator (decrypted locally)')
    .option('--translated', 'only records with a translation')
    .option('--no-translated', 'only records without a translation')
    .option('--limit <n>', 'at most this many records', '100')
    .action(async (opts: ListOptions, cmd: Command) => {
      const ctx = contextOf(cmd);
      const records = await listRecords(ctx, opts);
      const filtered = Object.entries(opts).some(([k, v]) => k !== 'limit' && v !== undefined);
      // Only an unfiltered empty list needs explaining: a filter explains itself.
      const backlog =
        records.length === 0 && !filtered
          ? await (await ctx.api()).get<Backlog>('/v1/backlog')
          : undefined;
      ctx.emit(backlog ? { records, backlog } : { records }, () =>
        records.length === 0
          ? backlog
            ? emptyListText(backlog)
            : say('No records.')
          : renderTable(records, [
              { header: say('NEW'), value: (r) => (r.unread ? '*' : '') },
              { header: say('ID'), value: (r) => r.id },
              { header: say('DAY'), value: (r) => r.receivedOn },
              { header: say('LANG'), value: (r) => r.language ?? '?' },
              { header: say('STATUS'), value: (r) => r.status },
              { header: say('TAGS'), value: (r) => r.tags.join(', '), max: 40 },
              { header: say('TRANSLATED'), value: (r) => say(r.translated ? 'yes' : 'no') },
            ]),
      );
    });
}
