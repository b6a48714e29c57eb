import type { Command } from 'commander';
import { fingerprint, fromBase64, initCrypto, signEnrolment, toBase64 } from '../../../crypto';
import { contextOf } from '../../context';
import { ConsoleError } from '../../errors';
import { REVIEWER_NAME } from '../keygen.command';
import { statementOf } from './enrolment-statement';

export function registerAdminEnroll(admin: Command): void {
  admin
    .command('enroll')
    .description('enrol a reviewer by their public keys (from their sori keygen)')
    .requiredOption('--name <name>', 'reviewer name')
    .requiredOption('--box <b64>', 'box (X25519) public key')
    .requiredOption('--sign <b64>', 'signing (Ed25519) public key')
    .option('--role <role>', 'admin or reviewer', 'reviewer')
    .action(async (o: { name: string; box: string; sign: string; role: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      if (!REVIEWER_NAME.test(o.name))
        throw new ConsoleError(
          'BAD_NAME',
          'A reviewer name is lower-case letters, digits, dot, dash or underscore',
        );
      await initCrypto();
      const statement = statementOf(o);
      // Signed here, with this admin's own key: a worker with ENROLMENT_ROOTS seals records
      // only to reviewers whose certificate chains to a root, whatever the database says.
      const cert = signEnrolment(statement, (await ctx.unlock()).sign);
      const body = {
        name: o.name,
        role: o.role,
        boxPublicKey: o.box,
        signPublicKey: o.sign,
        certificate: { signer: toBase64(cert.signer), signature: toBase64(cert.signature) },
      };
      const r = await (await ctx.api()).post<{ id: string }>('/v1/admin/reviewers', body);
      const fp = {
        boxFingerprint: fingerprint(fromBase64(o.box)),
        signFingerprint: fingerprint(fromBase64(o.sign)),
      };
      ctx.emit({ ...r, ...fp }, () =>
        [
          `Enrolled ${o.name} (${o.role}) as ${r.id}.`,
          `Check with them: box ${fp.boxFingerprint}, sign ${fp.signFingerprint}.`,
        ].join('\n'),
      );
    });
}
