import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { recordFileKey } from '../../crypto';
import { contextOf } from '../context';
import { ConsoleError } from '../errors';
import { ORIGINALS_WARNING, safeName } from '../export-files';
import { fetchRecordFile, openOriginalKey, saveDecrypted } from '../record-files';
import { openRecord } from '../records';
import { filesLines } from '../render/files';
import { getRendition } from './files-rendition';
import { say } from '../messages-ko';

// One attachment without exporting the whole record: chosen by its number in `sori show` or
// its name, decrypted as it streams to a new 0600 file, and checked against the record's hash.

export function registerFiles(program: Command): void {
  const files = program
    .command('files')
    .description("a record's attachments: list them, or decrypt one to a file");

  files
    .command('list')
    .description('list the attachments of a record, numbered')
    .argument('<id>', 'record id (or its first 8+ characters)')
    .action(async (typed: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const id = await ctx.recordId(typed);
      const r = await openRecord(await ctx.api(), await ctx.unlock(), id);
      ctx.emit({ recordId: r.detail.id, files: r.body.files ?? [] }, () =>
        filesLines(r.body).join('\n'),
      );
    });

  files
    .command('get')
    .description('decrypt one attachment of a record into a new file')
    .argument('<id>', 'record id (or its first 8+ characters)')
    .argument('<file>', 'its number in `sori files list` / `sori show`, or its name')
    .option('--out <path>', 'where to write it (default: a safe name in this folder)')
    .option('--original', 'admins: the held-back original (it may identify the source)')
    .option('--rendition', "a document's safe rendition: a PDF of its pages' pixels and OCR text")
    .action(
      async (
        typed: string,
        which: string,
        o: { out?: string; original?: boolean; rendition?: boolean },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const id = await ctx.recordId(typed);
        const keys = await ctx.unlock();
        const r = await openRecord(await ctx.api(), keys, id);
        const list = r.body.files ?? [];
        const n = /^\d+$/.test(which) ? Number(which) : list.findIndex((f) => f.name === which) + 1;
        const f = list[n - 1];
        if (!f) {
          throw new ConsoleError(
            'FILE_NOT_FOUND',
            `Record ${r.detail.id} has no attachment ${which} (it has ${list.length}; see sori files list)`,
          );
        }
        if (f.status !== 'clean' && !o.original) {
          throw new ConsoleError(
            'FILE_HELD_BACK',
            `${f.name} was held back (${f.reason}); an admin can fetch the original with --original`,
          );
        }
        if (o.original && (f.status === 'clean' || !f.fileId)) {
          throw new ConsoleError('ORIGINAL_NOT_KEPT', `No original of ${f.name} is kept`);
        }
        if (o.rendition) return getRendition(ctx, r, f, n, o.out);
        const out =
          o.out ?? join('.', safeName(f.name, n, f.status === 'clean' ? f.extension : undefined));
        if (existsSync(out)) throw new ConsoleError('FILE_EXISTS', `${out} exists already`);
        if (o.original) ctx.note(ORIGINALS_WARNING);
        const { token } = await ctx.currentSession();
        const fetched = await fetchRecordFile(ctx.server, token, r.detail.id, f.fileId!);
        const key =
          f.status === 'clean'
            ? recordFileKey(r.recordKey, f.subkeyId)
            : openOriginalKey(fetched.wrappedKey, keys);
        const saved = await saveDecrypted(fetched, key, out, f.sha256, f.name);
        ctx.emit({ recordId: r.detail.id, file: n, out, ...saved }, () =>
          [
            say('Wrote {name} to {path} ({bytes} bytes, SHA-256 checked).', {
              name: f.name,
              path: out,
              bytes: saved.bytes,
            }),
            say('It is decrypted testimony: keep it encrypted at rest and delete it when done.'),
          ].join('\n'),
        );
      },
    );
}
