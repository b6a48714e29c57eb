import type { Command } from 'commander';
import { contextOf } from '../context';
import { ConsoleError } from '../errors';
import { readableRecordIds } from '../record-id';
import { grantOne } from '../grants';
import { checkCertified, enrolmentRoots } from '../enrolment-check';
import { listReviewers, pickReviewer } from '../reviewers';
import { say } from '../messages-ko';

// Access for a reviewer enrolled after a record was made: the record key is unwrapped and
// re-sealed to their box key here, so the server never holds it in the clear. With
// SORI_ENROLMENT_ROOTS set, only to a reviewer whose enrolment certificate chains to a root.

export function registerGrant(program: Command): void {
  program
    .command('grant')
    .description('give another reviewer access to a record, or --all (re-wraps keys locally)')
    .argument('[id]', 'record id (or its first 8+ characters)')
    .option('--all', 'every record you can read')
    .requiredOption('--to <reviewer>', 'reviewer name or id')
    .action(
      async (typed: string | undefined, opts: { to: string; all?: boolean }, cmd: Command) => {
        if ((typed === undefined) === (opts.all !== true))
          throw new ConsoleError('GRANT_WHAT', 'Give a record id or --all');
        const ctx = contextOf(cmd);
        const roots = enrolmentRoots();
        const api = await ctx.api();
        // One listing: the entry checked is the entry whose key is used.
        const directory = await listReviewers(api);
        const reviewer = pickReviewer(directory, opts.to);
        checkCertified(reviewer, directory, roots);
        if (roots.length === 0)
          ctx.note(
            say("SORI_ENROLMENT_ROOTS is not set: this key is the server's word, unchecked."),
          );
        const keys = await ctx.unlock();
        const ids =
          typed !== undefined ? [await ctx.recordId(typed)] : await readableRecordIds(api);
        let created = 0;
        for (const id of ids) if (await grantOne(api, keys, reviewer, id)) created += 1;
        const result = { reviewerId: reviewer.id, reviewer: reviewer.name, created };
        if (typed !== undefined) {
          ctx.emit({ recordId: ids[0], ...result }, () =>
            say(created ? 'Granted {name} access to {id}.' : '{name} already had access to {id}.', {
              name: reviewer.name,
              id: ids[0]!,
            }),
          );
        } else {
          ctx.emit({ records: ids.length, ...result }, () =>
            say('Granted {name} access to {n} record(s); {m} they could already read.', {
              name: reviewer.name,
              n: created,
              m: ids.length - created,
            }),
          );
        }
      },
    );
}
