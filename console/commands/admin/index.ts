import type { Command } from 'commander';
import { registerAdminCertify } from './certify.command';
import { registerAdminEnroll } from './enroll.command';
import { registerAdminInit } from './init.command';
import { registerAdminIntakeKeys } from './intake-keys.command';
import { registerAdminRecertify } from './recertify.command';
import { registerAdminRetention } from './retention.command';
import { registerAdminReviewers } from './reviewers.command';
import { registerAdminRevoke } from './revoke.command';
import { registerAdminRotateIntakeKey } from './rotate-intake-key.command';

// Operator work: enrolment and revocation (public keys only), intake key rotation, retention.
// One file per subcommand; the order here is the order `sori admin --help` lists them in.

export function registerAdmin(program: Command): void {
  const admin = program.command('admin').description('operator commands (admin role)');
  registerAdminInit(admin);
  registerAdminCertify(admin);
  registerAdminRecertify(admin);
  registerAdminEnroll(admin);
  registerAdminRevoke(admin);
  registerAdminReviewers(admin);
  registerAdminRotateIntakeKey(admin);
  registerAdminIntakeKeys(admin);
  registerAdminRetention(admin);
}
