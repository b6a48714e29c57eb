import type { Command } from 'commander';
import { fingerprint, initCrypto, signEnrolment, toBase64 } from '../../../crypto';
import { contextOf } from '../../context';
import { statementOf } from './enrolment-statement';

export function registerAdminCertify(admin: Command): void {
  admin
    .command('certify')
    .description(
      'sign an enrolment with your key, offline: for the first admin (npm run admin:bootstrap) when you hold a root key',
    )
    .requiredOption('--box <b64>', 'box (X25519) public key')
    .requiredOption('--sign <b64>', 'signing (Ed25519) public key')
    .option('--role <role>', 'admin or reviewer', 'admin')
    .action(async (o: { box: string; sign: string; role: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      await initCrypto();
      const statement = statementOf(o);
      const cert = signEnrolment(statement, (await ctx.unlock()).sign);
      const result = { certSigner: toBase64(cert.signer), certSignature: toBase64(cert.signature) };
      ctx.emit(result, () =>
        [
          `Certificate for a ${o.role} with sign key ${fingerprint(statement.signPublicKey)}:`,
          `  --cert-signer=${result.certSigner} --cert-signature=${result.certSignature}`,
          `Your key (${fingerprint(cert.signer)}) must be in the worker's ENROLMENT_ROOTS.`,
        ].join('\n'),
      );
    });
}
