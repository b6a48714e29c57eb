import type { Command } from 'commander';
import { fromBase64, toBase64, wrapRecordKey } from '../../crypto';
import type { RecordDetail } from '../api-types';
import { contextOf } from '../context';
import { recordPath, unwrapKey } from '../records';
import { checkCertified, enrolmentRoots } from '../enrolment-check';
import { listReviewers, pickReviewer } from '../reviewers';

// Access for a reviewer enrolled after a record was made: the record key is unwrapped and
// re-sealed to their box key here, so the server never holds it in the clear. With
// SORI_ENROLMENT_ROOTS set, only to a reviewer whose enrolment certificate chains to a root.

export function registerGrant(program: Command): void {
  program
    .command('grant')
    .description('give another reviewer access to a record (re-wraps its key locally)')
    .argument('<id>', 'record id')
    .requiredOption('--to <reviewer>', 'reviewer name or id')
    .action(async (id: string, opts: { to: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const roots = enrolmentRoots();
      const api = await ctx.api();
      // One listing: the entry checked is the entry whose key is used.
      const directory = await listReviewers(api);
      const reviewer = pickReviewer(directory, opts.to);
      checkCertified(reviewer, directory, roots);
      if (roots.length === 0)
        ctx.note("SORI_ENROLMENT_ROOTS is not set: this key is the server's word, unchecked.");
      const detail = await api.get<RecordDetail>(recordPath(id));
      const recordKey = unwrapKey(detail, await ctx.unlock());
      const wrappedKey = toBase64(wrapRecordKey(recordKey, fromBase64(reviewer.boxPublicKey)));
      await api.post(`${recordPath(id)}/grants`, { reviewerId: reviewer.id, wrappedKey });
      ctx.emit(
        { recordId: id, reviewerId: reviewer.id, reviewer: reviewer.name },
        () => `Granted ${reviewer.name} access to ${id}.`,
      );
    });
}
