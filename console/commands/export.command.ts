import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { initCrypto, sha256Hex, utf8 } from '../../crypto';
import { recordExport } from '../export-bundle';
import { contextOf } from '../context';
import { custodyFor, fetchCustodyLog } from '../custody';
import { ConsoleError } from '../errors';
import { exportRecordFiles, ORIGINALS_WARNING } from '../export-files';
import {
  CUSTODY_FILE,
  MANIFEST,
  RECORD_FILE,
  type CustodyExport,
  type ExportManifest,
} from '../export-format';
import { readableRecordIds } from '../record-id';
import { openRecord } from '../records';
import { progressBar } from '../render/progress';
import { say } from '../messages-ko';

// Evidence for investigators and courts: decrypted records with their ciphertexts and the
// custody entries that prove them, hashed in a manifest. Decrypted files are 0600 in 0700
// folders: they are testimony in the clear on this machine.

interface ExportOptions {
  all?: boolean;
  out: string;
  includeOriginals?: boolean;
}

const countAttachments = (files: ExportManifest['files']) => ({
  clean: files.filter((f) => f.file?.status === 'clean').length,
  originals: files.filter((f) => f.file?.status === 'original').length,
});

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export decrypted records with their custody proof and a SHA-256 manifest')
    .argument('[id]', 'record id (or its first 8+ characters)')
    .option('--all', 'every record you can read')
    .requiredOption('--out <dir>', 'folder to write (new or empty)')
    .option(
      '--include-originals',
      'admins: also write held-back originals (they may identify the source)',
    )
    .action(async (id: string | undefined, o: ExportOptions, cmd: Command) => {
      const ctx = contextOf(cmd);
      if ((id === undefined) === (o.all !== true))
        throw new ConsoleError('EXPORT_WHAT', 'Give a record id or --all');
      if (existsSync(o.out) && readdirSync(o.out).length > 0) {
        throw new ConsoleError('EXPORT_EXISTS', `${o.out} is not empty; export into a new folder`);
      }
      await initCrypto();
      const api = await ctx.api();
      const keys = await ctx.unlock();
      const me = await ctx.currentSession();
      if (o.includeOriginals) {
        if (me.reviewer.role !== 'admin')
          throw new ConsoleError('ADMIN_REQUIRED', 'Only admins can export held-back originals');
        ctx.note(ORIGINALS_WARNING);
      }
      const ids =
        id !== undefined ? [await ctx.recordId(id)] : await readableRecordIds(await ctx.api());
      const log = await fetchCustodyLog(api);
      mkdirSync(o.out, { recursive: true, mode: 0o700 });
      const files: ExportManifest['files'] = [];
      const write = (path: string, value: unknown): void => {
        const bytes = utf8(JSON.stringify(value, null, 2) + '\n');
        writeFileSync(join(o.out, path), bytes, { mode: 0o600, flag: 'wx' });
        files.push({ path, sha256: sha256Hex(bytes), bytes: bytes.length });
      };
      const bar = o.all ? progressBar(ids.length) : progressBar(0);
      try {
        for (const recordId of ids) {
          const r = await openRecord(api, keys, recordId);
          mkdirSync(join(o.out, r.detail.id), { mode: 0o700 });
          write(`${r.detail.id}/${RECORD_FILE}`, recordExport(r));
          const custody: CustodyExport = {
            format: 'sori-custody-export',
            v: 1,
            recordId: r.detail.id,
            signers: log.signers,
            ...custodyFor(log, r.detail.id),
          };
          write(`${r.detail.id}/${CUSTODY_FILE}`, custody);
          // Read now: openRecord may have replaced a stale cached session with a new login.
          const { token } = await ctx.currentSession();
          const includeOriginals = o.includeOriginals === true;
          const fileCtx = { server: ctx.server, token, keys, out: o.out, includeOriginals };
          await exportRecordFiles(fileCtx, r, (f) => files.push(f));
          bar.tick(recordId.slice(0, 8));
        }
      } finally {
        bar.done();
      }
      const manifest: ExportManifest = {
        format: 'sori-export',
        v: 1,
        createdOn: new Date().toISOString().slice(0, 10),
        server: ctx.server,
        exportedBy: me.reviewer.name,
        records: ids,
        files,
      };
      writeFileSync(join(o.out, MANIFEST), JSON.stringify(manifest, null, 2) + '\n', {
        mode: 0o600,
        flag: 'wx',
      });
      const attachments = countAttachments(files);
      ctx.emit({ out: o.out, records: ids, files: files.length, attachments }, () =>
        [
          say(
            'Exported {n} record(s) to {dir}. The files hold decrypted testimony: keep them encrypted at rest.',
            { n: ids.length, dir: o.out },
          ),
          ...(attachments.clean || attachments.originals
            ? [say('Attachments: {clean} clean, {originals} original(s).', attachments)]
            : []),
        ].join('\n'),
      );
    });
}
