import type { Command } from 'commander';
import { fingerprint, fromBase64, initCrypto } from '../../../crypto';
import { contextOf } from '../../context';
import { publicKey } from './enrolment-statement';

export function registerAdminRotateIntakeKey(admin: Command): void {
  admin
    .command('rotate-intake-key')
    .description('publish a new intake public key (the old one keeps being accepted)')
    .requiredOption('--public-key <b64>', 'the new intake public key (from npm run keys:init)')
    .action(async (o: { publicKey: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      await initCrypto();
      const r = await (
        await ctx.api()
      ).post<Record<string, unknown>>('/v1/admin/intake-keys', {
        publicKey: publicKey(o.publicKey, 'intake key'),
      });
      const fp = fingerprint(fromBase64(o.publicKey));
      ctx.emit(
        { ...r, fingerprint: fp },
        () => `Intake key rotated; sources now see fingerprint ${fp}.`,
      );
    });
}
