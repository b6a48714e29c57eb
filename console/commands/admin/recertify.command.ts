import type { Command } from 'commander';
import { initCrypto, signEnrolment, toBase64 } from '../../../crypto';
import { contextOf } from '../../context';
import { ConsoleError } from '../../errors';
import { listReviewers, pickReviewer } from '../../reviewers';
import { statementOf } from './enrolment-statement';

export function registerAdminRecertify(admin: Command): void {
  admin
    .command('recertify')
    .description(
      'sign the certificate of a reviewer enrolled without one (before ENROLMENT_ROOTS, or by a revoked admin), with your key',
    )
    .argument('<reviewer>', 'reviewer name or id')
    .requiredOption('--box <b64>', 'their box (X25519) public key, from them, not from the server')
    .requiredOption('--sign <b64>', 'their signing (Ed25519) public key, from them')
    .requiredOption('--role <role>', 'admin or reviewer, as you mean to certify them')
    .action(async (who: string, o: { box: string; sign: string; role: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      await initCrypto();
      // What is signed comes from the reviewer, as at enrolment; the server's listing must
      // agree with it. Signing the listing itself would certify whatever someone able to
      // write the database had put there.
      const statement = statementOf(o);
      const api = await ctx.api();
      const r = pickReviewer(await listReviewers(api), who);
      if (r.boxPublicKey !== o.box || r.signPublicKey !== o.sign || r.role !== o.role)
        throw new ConsoleError(
          'KEYS_MISMATCH',
          `The server lists other keys or another role for ${r.name}: nothing signed`,
        );
      const cert = signEnrolment(statement, (await ctx.unlock()).sign);
      await api.post(`/v1/admin/reviewers/${encodeURIComponent(r.id)}/certificate`, {
        signer: toBase64(cert.signer),
        signature: toBase64(cert.signature),
      });
      ctx.emit({ id: r.id, role: r.role }, () => `Certified ${r.name} (${r.role}) with your key.`);
    });
}
