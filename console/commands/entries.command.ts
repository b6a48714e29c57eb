import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { RECORD_STATUSES, type RecordStatus } from '../api-types';
import { contextOf, type Context } from '../context';
import { normaliseTag, type EntryContent } from '../entries';
import { ConsoleError } from '../errors';
import { appendEntry } from '../records';
import { findReviewer } from '../reviewers';
import { say } from '../messages-ko';

// Annotations: each is an entry encrypted under the record key on this machine; the server
// stores ciphertext and the kind (and, for a status change, the new status, which it filters on).

async function append(
  ctx: Context,
  typed: string,
  content: EntryContent,
  extra: { status?: string } = {},
): Promise<void> {
  const id = await ctx.recordId(typed);
  const entry = await appendEntry(await ctx.api(), await ctx.unlock(), id, content, extra);
  ctx.emit({ recordId: id, entryId: entry.id, kind: entry.kind }, () =>
    say('Added {kind} {entry} to {id}.', { kind: entry.kind, entry: entry.id, id }),
  );
}

export function readTextFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConsoleError('FILE_UNREADABLE', `Cannot read ${path}`);
  }
  if (text.trim().length === 0) throw new ConsoleError('FILE_EMPTY', `${path} is empty`);
  return text.replace(/\r\n?/g, '\n').replace(/\n+$/, '');
}

export function registerEntries(program: Command): void {
  program
    .command('note')
    .description('add an encrypted note to a record')
    .argument('<id>', 'record id (or its first 8+ characters)')
    .argument('<text>', 'the note')
    .action(async (id: string, text: string, _o: unknown, cmd: Command) => {
      if (text.trim() === '') throw new ConsoleError('NOTE_EMPTY', 'The note is empty');
      await append(contextOf(cmd), id, { v: 1, kind: 'note', text });
    });

  program
    .command('tag')
    .description('tag a record (the tag is encrypted; list --tag matches it locally)')
    .argument('<id>', 'record id (or its first 8+ characters)')
    .argument('<tag>', 'the tag')
    .action(async (id: string, tag: string, _o: unknown, cmd: Command) => {
      const t = normaliseTag(tag);
      if (!/^[\p{L}\p{N}._:-]{1,64}$/u.test(t)) {
        throw new ConsoleError(
          'BAD_TAG',
          'A tag is 1 to 64 letters, digits, dot, colon, dash or underscore',
        );
      }
      await append(contextOf(cmd), id, { v: 1, kind: 'tag', tag: t });
    });

  program
    .command('status')
    .description(`set a record's status (${RECORD_STATUSES.join(', ')})`)
    .argument('<id>', 'record id (or its first 8+ characters)')
    .argument('<status>', 'the new status')
    .action(async (id: string, status: string, _o: unknown, cmd: Command) => {
      if (!(RECORD_STATUSES as readonly string[]).includes(status)) {
        throw new ConsoleError('BAD_STATUS', `A status is one of ${RECORD_STATUSES.join(', ')}`);
      }
      await append(
        contextOf(cmd),
        id,
        { v: 1, kind: 'status', status: status as RecordStatus },
        { status },
      );
    });

  program
    .command('assign')
    .description('assign a record to a reviewer')
    .argument('<id>', 'record id (or its first 8+ characters)')
    .argument('<reviewer>', 'reviewer name or id')
    .action(async (id: string, who: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const r = await findReviewer(await ctx.api(), who);
      await append(ctx, id, { v: 1, kind: 'assignment', reviewerId: r.id, reviewerName: r.name });
    });

  program
    .command('translate')
    .description('add a human translation of a record from a file')
    .argument('<id>', 'record id (or its first 8+ characters)')
    .requiredOption('--file <file>', 'UTF-8 text file with the translation')
    .option('--target <lang>', 'language of the translation', 'en')
    .action(async (id: string, opts: { file: string; target: string }, cmd: Command) => {
      if (!/^[a-z]{2,3}$/.test(opts.target))
        throw new ConsoleError('BAD_LANGUAGE', 'A language is a 2 or 3 letter code');
      const text = readTextFile(opts.file);
      await append(contextOf(cmd), id, {
        v: 1,
        kind: 'human-translation',
        text,
        target: opts.target,
      });
    });
}
