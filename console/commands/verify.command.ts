import type { Command } from 'commander';
import { fromBase64, initCrypto, sha256Hex } from '../../crypto';
import type { ApiClient } from '../api-client';
import type { RecordDetail } from '../api-types';
import { contextOf } from '../context';
import { checkChain, fetchCustodyLog, REASONS, type CustodyLog } from '../custody';
import { ConsoleError, isApiError } from '../errors';
import { recordPath } from '../records';
import { logFromExport, verifyExport } from '../verify-export';
import type { Problem } from '../verify-problem';
import { say } from '../messages-ko';

// Exit 0: the whole chain holds and every readable record matches it. Exit 2: a break, named.
// Exit 1: the check could not be made (network, auth, a missing export).

const BROKEN = 2;

/** Stored ciphertexts (bodies and machine translations) against the hashes the worker logged. */
async function checkStored(
  api: ApiClient,
  log: CustodyLog,
): Promise<{ checked: number; unreadable: number; problems: Problem[] }> {
  const problems: Problem[] = [];
  let checked = 0;
  let unreadable = 0;
  const ids = [
    ...new Set(
      log.entries
        .filter((e) => e.event === 'record-created' && e.recordId)
        .map((e) => e.recordId as string),
    ),
  ];
  for (const id of ids) {
    let detail: RecordDetail;
    try {
      detail = await api.get<RecordDetail>(recordPath(id));
    } catch (err) {
      // Not granted to the caller, or deleted by retention (the log keeps only hashes).
      if (isApiError(err) && (err.status === 404 || err.status === 403)) {
        unreadable++;
        continue;
      }
      throw err;
    }
    checked++;
    const entries = log.entries.filter((e) => e.recordId === id);
    const created = entries.find((e) => e.event === 'record-created')!;
    if (
      sha256Hex(fromBase64(detail.body)) !== created.payload.bodySha256 ||
      detail.bodySha256 !== created.payload.bodySha256
    ) {
      problems.push({
        where: `record ${id}`,
        code: 'RECORD_BODY_MISMATCH',
        message: `The stored body of record ${id} does not match custody entry ${created.seq}`,
      });
    }
    for (const t of entries.filter((e) => e.event === 'translation-added')) {
      const stored = detail.entries.find((e) => e.id === t.payload.entryId);
      if (!stored || sha256Hex(fromBase64(stored.body)) !== t.payload.entrySha256) {
        problems.push({
          where: `record ${id}`,
          code: 'RECORD_ENTRY_MISMATCH',
          message: `Translation ${t.payload.entryId} of record ${id} does not match custody entry ${t.seq}`,
        });
      }
    }
  }
  return { checked, unreadable, problems };
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'verify the custody log (hash links, signatures), stored records and optionally an export',
    )
    .option('--export <dir>', 'also check an export folder against its manifest and the log')
    .option('--offline', 'with --export: use the chain inside the export instead of the server')
    .action(async (o: { export?: string; offline?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      await initCrypto();
      if (o.offline && !o.export)
        throw new ConsoleError('VERIFY_OFFLINE_NEEDS_EXPORT', '--offline needs --export DIR');
      const api = o.offline ? null : await ctx.api();
      const log = api ? await fetchCustodyLog(api) : logFromExport(o.export as string);
      if (!log) throw new ConsoleError('EXPORT_MANIFEST_BAD', `${o.export} holds no custody chain`);

      const chain = checkChain(log);
      if (!chain.ok) {
        const { seq, reason } = chain.problem;
        throw new ConsoleError(
          'CUSTODY_CHAIN_BROKEN',
          `The custody log breaks at entry ${seq}: ${REASONS[reason]}`,
          BROKEN,
        );
      }
      const stored = api
        ? await checkStored(api, log)
        : { checked: 0, unreadable: 0, problems: [] };
      const exported = o.export ? await verifyExport(o.export, log) : null;
      const problems = [...stored.problems, ...(exported?.problems ?? [])];
      const summary = {
        ok: problems.length === 0,
        entries: chain.count,
        head: chain.head,
        signers: log.signers.map((s) => s.id),
        recordsChecked: stored.checked,
        recordsUnreadable: stored.unreadable,
        ...(exported
          ? { export: { dir: o.export, records: exported.records, files: exported.files } }
          : {}),
        problems,
      };
      if (ctx.json) ctx.out(JSON.stringify(summary, null, 2));
      else if (problems.length > 1)
        for (const p of problems.slice(1))
          process.stderr.write(`  also: ${p.message} (${p.code})\n`);
      const first = problems[0];
      if (first) throw new ConsoleError(first.code, first.message, BROKEN);
      if (!ctx.json) {
        ctx.out(
          [
            say('Custody log intact: {n} entries, head {head}, signed by {signers}.', {
              n: chain.count,
              head: chain.head ?? '(empty)',
              signers: summary.signers.join(', ') || 'nobody',
            }),
            api
              ? say(
                  'Stored records match the log: {checked} checked, {unreadable} not readable by you.',
                  { checked: stored.checked, unreadable: stored.unreadable },
                )
              : say('Offline: stored records not checked.'),
            ...(exported
              ? [
                  say('Export {dir}: {files} files and {records} record(s) match.', {
                    dir: o.export ?? '',
                    files: exported.files,
                    records: exported.records,
                  }),
                ]
              : []),
          ].join('\n'),
        );
      }
    });
}
